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
    var first = body.lastElementChild.querySelector("input, select, textarea");
    if (first) { first.focus(); }
    return;
  }
  var remove = event.target.closest("[data-remove-row]");
  if (remove) {
    remove.closest("tr").remove();
  }
});
