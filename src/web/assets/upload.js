// The import page: drag and drop, and an upload with a live progress bar. Without this script the
// form still works (a plain multipart POST that ends on the report page), only without progress.
//
// The bar is real progress: the server streams the body into the importer as it arrives and reads
// only as fast as it files rows, so the bytes the browser has sent are the bytes being imported.
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
      clearError();
      // Options first, then the file: the server reads the options before the file streams in.
      const body = new FormData();
      const mode = form.querySelector('input[name="category_mode"]:checked');
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
      setProgress(0);
      label.textContent = `Uploading and importing ${file.name}… 0 %`;
      message.textContent = '';
      const stopPolling = pollRows((rows) => {
        message.textContent = `${rows.toLocaleString('en-US')} rows read so far.`;
      });

      const xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.addEventListener('progress', (event) => {
        if (!event.lengthComputable) return;
        const percent = Math.floor((event.loaded / event.total) * 1000) / 10;
        setProgress(percent);
        label.textContent = `Uploading and importing ${file.name}… ${percent.toFixed(1)} %`;
      });
      xhr.upload.addEventListener('load', () => {
        setProgress(100);
        label.textContent = `Uploaded ${file.name}; filing the last rows…`;
      });
      xhr.addEventListener('load', () => {
        uploading = false;
        stopPolling();
        const answer = parseJson(xhr.responseText);
        if (xhr.status === 201 && answer && answer.report_url) {
          label.textContent = 'Done. Opening the report…';
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
    pollRows((rows, imports) => {
      const mine = imports.find((entry) => entry.id === id);
      if (!mine) {
        window.location.reload();
        return;
      }
      if (mine.percent !== null) bar.value = mine.percent;
      text.textContent = `${mine.rows_read.toLocaleString('en-US')} rows read so far. This page updates itself.`;
    }, true);
  }

  /** Asks the server every second how far this person's running import has read. */
  function pollRows(onUpdate, always) {
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      try {
        const response = await fetch('/imports/running.json', { headers: { Accept: 'application/json' } });
        if (response.ok) {
          const { running } = await response.json();
          const newest = running[0];
          if (newest || always) onUpdate(newest ? newest.rows_read : 0, running);
        }
      } catch {
        // A missed poll is fine: the next one comes in a second.
      }
      if (!stopped) setTimeout(tick, 1000);
    };
    setTimeout(tick, 1000);
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
