// Repeated rows of the PKRI forms: "Tambah baris" clones the list's <template> with a
// fresh row number in every name/id; "Hapus baris" removes its row. Rows left empty are
// dropped on the server, so the page works without this script too (no new rows then).
document.addEventListener("click", function (event) {
  var add = event.target.closest("[data-add-row]");
  if (add) {
    var code = add.getAttribute("data-add-row");
    var template = document.getElementById("tpl-" + code);
    var body = document.querySelector('tbody[data-rows="' + code + '"]');
    var next = parseInt(add.getAttribute("data-next") || "0", 10);
    var html = template.innerHTML.split("__i__").join(String(next));
    add.setAttribute("data-next", String(next + 1));
    body.insertAdjacentHTML("beforeend", html);
    // A new row's search boxes (innovations, institutions) search as they are typed in.
    if (window.htmx) { window.htmx.process(body.lastElementChild); }
    var first = body.lastElementChild.querySelector("input, select, textarea");
    if (first) { first.focus(); }
    return;
  }
  var remove = event.target.closest("[data-remove-row]");
  if (remove) {
    remove.closest("tr").remove();
  }
});

// Search boxes of the innovation and institution choices: with htmx the options follow
// the typing, so Enter searches at once instead of submitting the whole form. Without
// JavaScript the "Cari" button posts the form and the page comes back with the results.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Enter" || !event.target.matches("[data-lookup-q]") || !window.htmx) {
    return;
  }
  event.preventDefault();
  window.htmx.trigger(event.target, "lookup");
});

// Say how many choices a search found (screen readers hear the status line).
document.addEventListener("htmx:afterSwap", function (event) {
  var select = event.detail.target;
  var box = select && select.closest ? select.closest("[data-lookup]") : null;
  if (!box) { return; }
  var found = select.querySelectorAll('option:not([value=""])').length;
  var status = box.querySelector("[data-lookup-status]");
  if (status) { status.textContent = found + " pilihan"; }
});
