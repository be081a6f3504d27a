// The import page: drag and drop, and an upload with a live progress bar. Without this script the
// form still works (a plain multipart POST that ends on the report page), only without progress.
//
// The server streams the body into the importer as it arrives, so the import runs while the file
// uploads; the bar follows the importer's progress, which the server reports every second.
'use strict';

/**
 * The page's words come from the server, in the page's language, as JSON in `data-words` on the
 * form (or on a running import's progress): `{name}`-style holes are filled here.
 */
function wordsOf(element) {
  const words = JSON.parse(element.dataset.words);
  return {
    ...words,
    fill: (key, values) => words[key].replace(/\{(\w+)\}/g, (hole, name) => (name in values ? String(values[name]) : hole)),
    count: (value) => value.toLocaleString(words.locale),
    option: (position, header) => `${position}: ${header || words.noHeader}`,
  };
}
/** Rows of the file shown when the columns are picked by hand. */
const PREVIEW_ROWS = 5;

(() => {
  const form = document.getElementById('upload-form');
  const running = document.querySelector('[data-running-import]');
  if (form instanceof HTMLFormElement) enhanceUploadForm(form);
  if (running instanceof HTMLElement) followRunningImport(running);

  function enhanceUploadForm(form) {
    const words = wordsOf(form);
    const fileInput = form.querySelector('#file');
    const dropZone = form.querySelector('#drop-zone');
    const hint = form.querySelector('#drop-hint');
    const button = form.querySelector('#upload-button');
    const status = form.querySelector('#upload-status');
    const bar = form.querySelector('#upload-progress');
    const label = form.querySelector('#upload-progress-label');
    const message = form.querySelector('#upload-message');
    const errorBox = document.getElementById('upload-error');
    const categorySelect = form.querySelector('#category');
    const modeFile = form.querySelector('#mode-file');
    const originalHint = hint.textContent;
    const columns = enhanceColumns(form, words);
    let uploading = false;

    const describeFile = () => {
      const file = fileInput.files && fileInput.files[0];
      hint.textContent = file ? `${file.name} — ${formatBytes(file.size, words)}` : originalHint;
      columns.read(file);
    };
    fileInput.addEventListener('change', describeFile);
    // Picking a category means using it for the file.
    categorySelect.addEventListener('change', () => {
      modeFile.checked = true;
    });

    for (const type of ['dragenter', 'dragover']) {
      dropZone.addEventListener(type, (event) => {
        event.preventDefault();
        dropZone.classList.add('dragging');
      });
    }
    for (const type of ['dragleave', 'drop']) {
      dropZone.addEventListener(type, () => dropZone.classList.remove('dragging'));
    }
    dropZone.addEventListener('drop', (event) => {
      event.preventDefault();
      if (!event.dataTransfer || event.dataTransfer.files.length === 0) return;
      fileInput.files = event.dataTransfer.files;
      describeFile();
    });

    window.addEventListener('beforeunload', (event) => {
      if (uploading) event.preventDefault();
    });

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const file = fileInput.files && fileInput.files[0];
      if (!file) {
        showError(words.noFile);
        fileInput.focus();
        return;
      }
      const maxBytes = Number(form.dataset.maxBytes);
      if (file.size > maxBytes) {
        showError(words.fill('tooBig', { name: file.name, size: formatBytes(file.size, words), max: formatBytes(maxBytes, words) }));
        return;
      }
      const mode = form.querySelector('input[name="category_mode"]:checked');
      if ((!mode || mode.value === 'file') && !categorySelect.value) {
        showError(words.noCategory);
        categorySelect.focus();
        return;
      }
      if (columns.pickingWithoutPhone()) {
        showError(words.needPhone);
        form.querySelector('#pick-phone').focus();
        return;
      }
      clearError();
      // Options first, then the file: the server reads the options before the file streams in.
      const body = new FormData();
      body.append('category_mode', mode ? mode.value : 'file');
      if (!mode || mode.value === 'file') body.append('category', categorySelect.value);
      const onDuplicate = form.querySelector('input[name="on_duplicate"]:checked');
      body.append('on_duplicate', onDuplicate ? onDuplicate.value : 'skip');
      if (form.querySelector('#dry-run').checked) body.append('dry_run', 'true');
      for (const [field, value] of columns.chosen()) body.append(field, value);
      body.append('file_size', String(file.size));
      body.append('file', file, file.name);
      send(body, file);
    });

    function send(body, file) {
      uploading = true;
      button.disabled = true;
      status.hidden = false;
      // Indeterminate until the server reports how far the importer has read.
      bar.removeAttribute('value');
      label.textContent = words.fill('starting', { name: file.name });
      let sent = 0;
      let rowsRead = null;
      const describe = () => {
        const parts = [];
        if (rowsRead !== null) parts.push(words.fill('rowsRead', { rows: words.count(rowsRead) }));
        parts.push(sent < 100 ? words.fill('sent', { percent: sent.toFixed(0) }) : words.sentAll);
        message.textContent = `${parts.join('; ')}.`;
      };
      // The bar is the importer's own progress (bytes of the file it has read and filed, as the
      // server reports it), not the bytes the browser has handed to the network, which run ahead
      // by whatever the sockets buffer.
      const stopPolling = pollRunning((imports) => {
        const own = imports.filter((entry) => entry.mine);
        const mine = own.find((entry) => entry.filename === file.name) ?? own[0];
        if (!mine) return;
        rowsRead = mine.rows_read;
        if (mine.percent !== null) {
          setProgress(mine.percent);
          label.textContent = words.fill('importing', { name: file.name, percent: mine.percent.toLocaleString(words.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
        }
        describe();
      });

      const xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.addEventListener('progress', (event) => {
        if (!event.lengthComputable) return;
        sent = (event.loaded / event.total) * 100;
        describe();
      });
      xhr.upload.addEventListener('load', () => {
        sent = 100;
        describe();
      });
      xhr.addEventListener('load', () => {
        uploading = false;
        stopPolling();
        const answer = parseJson(xhr.responseText);
        if (xhr.status === 201 && answer && answer.report_url) {
          setProgress(100);
          label.textContent = words.fill('imported', { name: file.name });
          window.location.assign(answer.report_url);
          return;
        }
        if (xhr.status === 401) {
          window.location.assign(`/sign-in?reason=invalid&next=${encodeURIComponent('/imports')}`);
          return;
        }
        const error = answer && answer.error;
        const importId = error && error.details && error.details.import_id;
        // A failed import has a report saying what was wrong with the file.
        if (typeof importId === 'number') {
          window.location.assign(`/imports/${importId}`);
          return;
        }
        // The console's own words for the refusal (the API's English message is the fallback).
        fail(error && (error.words || error.message) ? error.words || error.message : words.fill('failed', { status: xhr.status }));
      });
      xhr.addEventListener('error', () => {
        uploading = false;
        stopPolling();
        fail(words.lost);
      });
      xhr.send(body);
    }

    function setProgress(percent) {
      bar.value = percent;
      bar.dataset.percent = String(percent);
    }

    function fail(text) {
      status.hidden = true;
      button.disabled = false;
      showError(text);
    }

    function showError(text) {
      clearError();
      const box = document.createElement('div');
      box.className = 'alert alert-error';
      box.setAttribute('role', 'alert');
      const paragraph = document.createElement('p');
      paragraph.textContent = text;
      box.append(paragraph);
      errorBox.append(box);
    }

    function clearError() {
      errorBox.replaceChildren();
    }
  }

  /**
   * Reads the start of a chosen CSV file in the browser: when its header has a category column, the
   * form uses it; when no phone column is recognized, the first rows are shown with a choice of
   * column for each role, so the import need not fail. (A workbook is not read here: its columns can
   * still be named in the fields.)
   */
  function enhanceColumns(form, words) {
    const fieldset = form.querySelector('#columns');
    const preview = form.querySelector('#column-preview');
    const inputs = form.querySelector('#column-inputs');
    const aliases = JSON.parse(fieldset.dataset.aliases);
    const roles = Object.keys(aliases);
    let picking = false;

    const reset = () => {
      picking = false;
      preview.hidden = true;
      preview.replaceChildren();
      inputs.hidden = false;
    };

    async function read(file) {
      reset();
      if (!file || /\.xlsx$/i.test(file.name)) return;
      const text = (await file.slice(0, 64 * 1024).text()).replace(/^\uFEFF/, '');
      const lines = text.split(/\r?\n|\r/).filter((line) => line.trim() !== '');
      if (lines.length === 0) return;
      const delimiter = detectDelimiter(lines[0]);
      const rows = lines.slice(0, PREVIEW_ROWS + 1).map((line) => splitLine(line, delimiter));
      const headers = rows[0];
      const found = {};
      for (const role of roles) found[role] = findColumn(headers, aliases[role]);
      if (found.category !== null) form.querySelector('#mode-column').checked = true;
      if (found.phone === null) showPicker(headers, rows.slice(1), found);
    }

    function showPicker(headers, rows, found) {
      picking = true;
      inputs.hidden = true;
      const intro = document.createElement('p');
      intro.textContent = words.pick;
      const table = document.createElement('table');
      table.className = 'column-preview';
      const caption = document.createElement('caption');
      caption.textContent = words.caption;
      table.append(caption);
      const head = table.createTHead().insertRow();
      headers.forEach((header, index) => {
        const cell = document.createElement('th');
        cell.scope = 'col';
        cell.textContent = words.option(index + 1, header);
        head.append(cell);
      });
      const body = table.createTBody();
      for (const row of rows) {
        const tr = body.insertRow();
        headers.forEach((_, index) => (tr.insertCell().textContent = row[index] ?? ''));
      }
      const choices = document.createElement('div');
      choices.className = 'column-choices';
      for (const role of roles) {
        const wrapper = document.createElement('div');
        wrapper.className = 'choice';
        const label = document.createElement('label');
        label.htmlFor = `pick-${role}`;
        label.textContent = words.roles[role] ?? role;
        const select = document.createElement('select');
        select.id = `pick-${role}`;
        select.append(new Option(words.none, ''));
        headers.forEach((header, index) => select.append(new Option(words.option(index + 1, header), String(index + 1))));
        if (found[role] !== null) select.value = String(found[role] + 1);
        // The choice goes into the form's own field, which the upload sends.
        const field = form.querySelector(`#${role}-column`);
        const sync = () => {
          field.value = select.value;
          if (role === 'category' && select.value) form.querySelector('#mode-column').checked = true;
        };
        select.addEventListener('change', sync);
        sync();
        wrapper.append(label, select);
        choices.append(wrapper);
      }
      preview.replaceChildren(intro, table, choices);
      preview.hidden = false;
    }

    return {
      read: (file) => read(file).catch(reset),
      pickingWithoutPhone: () => picking && !form.querySelector('#phone-column').value,
      chosen: () =>
        roles.flatMap((role) => {
          const value = form.querySelector(`#${role}-column`).value.trim();
          return value ? [[`${role}_column`, value]] : [];
        }),
    };
  }

  function headerKey(header) {
    return header.trim().toLowerCase().replace(/[\s_\-.]/g, '');
  }

  function findColumn(headers, names) {
    const keys = headers.map(headerKey);
    for (const name of names) {
      const index = keys.indexOf(name);
      if (index !== -1) return index;
    }
    return null;
  }

  function detectDelimiter(line) {
    const counts = { ',': 0, ';': 0, '\t': 0 };
    let quoted = false;
    for (const char of line) {
      if (char === '"') quoted = !quoted;
      else if (!quoted && char in counts) counts[char] += 1;
    }
    return Object.keys(counts).reduce((best, delimiter) => (counts[delimiter] > counts[best] ? delimiter : best), ',');
  }

  /** One line's cells, quotes honoured (enough for a preview; the server parses the file for real). */
  function splitLine(line, delimiter) {
    const cells = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const char = line[i];
      if (quoted) {
        if (char === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else if (char === '"') quoted = false;
        else cell += char;
      } else if (char === '"' && cell === '') quoted = true;
      else if (char === delimiter) {
        cells.push(cell);
        cell = '';
      } else cell += char;
    }
    cells.push(cell);
    return cells;
  }

  // A report page of an import still running (opened from the history): it refreshes when it ends.
  function followRunningImport(element) {
    const id = Number(element.dataset.runningImport);
    const bar = element.querySelector('progress');
    const text = element.querySelector('#running-status');
    const words = wordsOf(element);
    pollRunning((imports) => {
      const mine = imports.find((entry) => entry.id === id);
      if (!mine) {
        window.location.reload();
        return;
      }
      if (mine.percent !== null) bar.value = mine.percent;
      text.textContent = words.fill('runningRows', { rows: words.count(mine.rows_read) });
    });
  }

  /** Asks the server every second how far the running imports have read. */
  function pollRunning(onUpdate) {
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      try {
        const response = await fetch('/imports/running.json', { headers: { Accept: 'application/json' } });
        if (response.ok && !stopped) onUpdate((await response.json()).running);
      } catch {
        // A missed poll is fine: the next one comes in a second.
      }
      if (!stopped) setTimeout(tick, 1000);
    };
    setTimeout(tick, 500);
    return () => {
      stopped = true;
    };
  }

  function parseJson(text) {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }

  function formatBytes(bytes, words) {
    const tenths = (value) => value.toLocaleString(words.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    if (bytes >= 1024 * 1024) return `${tenths(bytes / (1024 * 1024))} MB`;
    if (bytes >= 1024) return `${tenths(bytes / 1024)} KB`;
    return `${bytes} ${words.bytes}`;
  }
})();
