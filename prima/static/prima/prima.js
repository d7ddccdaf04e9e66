// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Live word counts for textareas that declare a limit (data-word-limit).
  document.querySelectorAll("textarea[data-word-limit]").forEach((el) => {
    const out = document.getElementById(el.id + "-words");
    if (!out) return;
    const limit = parseInt(el.dataset.wordLimit, 10);
    const update = () => {
      const words = el.value.trim() ? el.value.trim().split(/\s+/).length : 0;
      out.textContent = words + " / " + limit;
      out.classList.toggle("text-danger", words > limit);
    };
    el.addEventListener("input", update);
    update();
  });
});
