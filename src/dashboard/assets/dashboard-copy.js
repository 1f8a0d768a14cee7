// Copy buttons next to full ids (components/full-id.tsx): shown only when the clipboard can be used,
// since without script the <code> itself can be selected and copied.
(() => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll('button.copy[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        button.textContent = 'Copied';
      } catch {
        button.textContent = 'Select and copy';
      }
      setTimeout(() => {
        button.textContent = 'Copy';
      }, 2000);
    });
  }
})();
