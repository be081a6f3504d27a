// Shared by every console page. Plain JavaScript, no build: the pages work without it, and it only
// adds what a browser cannot do alone.
'use strict';

// A form with data-confirm asks before it is sent (deleting a category cannot be undone).
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (!window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Copy buttons (the bot authors' corner): hidden without this script, which is the only one that can copy.
for (const button of document.querySelectorAll('button[data-copy]')) {
  button.hidden = false;
  const label = button.firstChild.textContent;
  button.addEventListener('click', async () => {
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    try {
      await navigator.clipboard.writeText(source.textContent);
      button.firstChild.textContent = button.dataset.copied;
    } catch {
      // No clipboard (an http page on another host): select the text so the person can copy it.
      window.getSelection().selectAllChildren(source);
      button.firstChild.textContent = button.dataset.copyFailed;
    }
    setTimeout(() => (button.firstChild.textContent = label), 2000);
  });
}
