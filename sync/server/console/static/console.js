// The console works without this file; it asks before actions that cannot be undone, and
// keeps a user's roles boxes in step with their main role.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A user's roles: the main role's box is ticked and fixed, as the laptops' Users page shows
// it; choosing another main role frees the old one's box (unticked) and fixes the new one's.
// The server drops the main role from the further roles in any case.
document.querySelectorAll("fieldset[data-main-role]").forEach((fieldset) => {
  const main = fieldset.form && fieldset.form.elements.namedItem(fieldset.dataset.mainRole);
  if (!(main instanceof HTMLSelectElement)) {
    return;
  }
  let before = main.value;
  main.addEventListener("change", () => {
    fieldset.querySelectorAll("input[type=checkbox]").forEach((box) => {
      if (box.value === before && before !== main.value) {
        box.checked = false;
      }
      box.disabled = box.value === main.value;
      if (box.disabled) {
        box.checked = true;
      }
    });
    before = main.value;
  });
});
