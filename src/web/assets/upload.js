// The import page: drag and drop, and an upload with a live progress bar. Without this script the
// form still works (a plain multipart POST that ends on the report page), only without progress.
//
// The server streams the body into the importer as it arrives, so the import runs while the file
// uploads; the bar follows the importer's progress, which the server reports every second.
'use strict';

(() => {
  const form = document.getElementById('upload-form');
  const running = document.querySelector('[data-running-import]');
  if (form instanceof HTMLFormElement) enhanceUploadForm(form);
  if (running instanceof HTMLElement) followRunningImport(running);

  function enhanceUploadForm(form) {
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
    let uploading = false;

    const describeFile = () => {
      const file = fileInput.files && fileInput.files[0];
      hint.textContent = file ? `${file.name} — ${formatBytes(file.size)}` : originalHint;
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
        showError('Choose a CSV file first.');
        fileInput.focus();
        return;
      }
      const maxBytes = Number(form.dataset.maxBytes);
      if (file.size > maxBytes) {
        showError(`${file.name} is ${formatBytes(file.size)}; files up to ${formatBytes(maxBytes)} can be imported. Split it and import the parts.`);
        return;
      }
      const mode = form.querySelector('input[name="category_mode"]:checked');
      if ((!mode || mode.value === 'file') && !categorySelect.value) {
        showError('Choose a category for the file, or use the file’s category column.');
        categorySelect.focus();
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
      label.textContent = `Starting the import of ${file.name}…`;
      let sent = 0;
      let rowsRead = null;
      const describe = () => {
        const parts = [];
        if (rowsRead !== null) parts.push(`${rowsRead.toLocaleString('en-US')} rows read so far`);
        parts.push(sent < 100 ? `file sent: ${sent.toFixed(0)} %` : 'file sent');
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
          label.textContent = `Importing ${file.name}… ${mine.percent.toFixed(1)} %`;
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
          label.textContent = `Imported ${file.name}. Opening the report…`;
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
        fail(error && error.message ? error.message : `The import failed (HTTP ${xhr.status}). Nothing was saved.`);
      });
      xhr.addEventListener('error', () => {
        uploading = false;
        stopPolling();
        fail('The connection was lost during the upload. The import did not finish and nothing from it was saved.');
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

  // A report page of an import still running (opened from the history): it refreshes when it ends.
  function followRunningImport(element) {
    const id = Number(element.dataset.runningImport);
    const bar = element.querySelector('progress');
    const text = element.querySelector('#running-status');
    pollRunning((imports) => {
      const mine = imports.find((entry) => entry.id === id);
      if (!mine) {
        window.location.reload();
        return;
      }
      if (mine.percent !== null) bar.value = mine.percent;
      text.textContent = `${mine.rows_read.toLocaleString('en-US')} rows read so far. This page updates itself.`;
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

  function formatBytes(bytes) {
    if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
    if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${bytes} bytes`;
  }
})();
