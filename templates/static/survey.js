// The answering page: hides questions whose condition is not met (and leaves them out of the form), shows how many
// questions are answered, and keeps the answers in this browser's session storage until they are sent.
(function () {
  const done = document.querySelector('[data-clear-storage]');
  if (done) { try { sessionStorage.removeItem(done.dataset.clearStorage); } catch (e) {} return; }
  const form = document.querySelector('form.survey-form');
  if (!form) return;
  const key = form.dataset.storage;
  const questions = Array.from(form.querySelectorAll('[data-question]'));
  const valuesOf = (id) => Array.from(form.querySelectorAll('[name="q.' + id + '"]'))
    .filter((el) => (el.type === 'radio' || el.type === 'checkbox') ? el.checked : el.value !== '')
    .map((el) => el.value);
  function answered(q) {
    return Array.from(q.querySelectorAll('input, select, textarea')).some((el) =>
      (el.type === 'radio' || el.type === 'checkbox') ? el.checked : (el.name.startsWith('q.') && el.value.trim() !== ''));
  }
  function update() {
    let shown = 0, count = 0;
    questions.forEach((q) => {
      const dep = q.dataset.showIf;
      const visible = !dep || valuesOf(dep).some((v) => q.dataset.equals.split(' ').includes(v));
      q.hidden = !visible;
      q.querySelectorAll('input, select, textarea').forEach((el) => { el.disabled = !visible; });
      if (visible) { shown += 1; if (answered(q)) count += 1; }
    });
    const bar = document.getElementById('survey-progress');
    if (bar) { bar.max = shown; bar.value = count; }
    const text = document.getElementById('survey-progress-text');
    if (text) text.textContent = count + ' / ' + shown;
  }
  function save() {
    const data = [];
    form.querySelectorAll('input, select, textarea').forEach((el) => {
      if (!el.name.startsWith('q.') && el.name !== 'agree') return;
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) return;
      data.push([el.name, el.value]);
    });
    try { sessionStorage.setItem(key, JSON.stringify(data)); } catch (e) {}
  }
  function restore() {
    if (form.querySelector('.error-summary, [role=alert]')) return; // the server sent back what was typed
    let data;
    try { data = JSON.parse(sessionStorage.getItem(key) || '[]'); } catch (e) { data = []; }
    data.forEach(([name, value]) => {
      form.querySelectorAll('[name="' + name + '"]').forEach((el) => {
        if (el.type === 'radio' || el.type === 'checkbox') { if (el.value === value) el.checked = true; }
        else el.value = value;
      });
    });
  }
  restore();
  update();
  form.addEventListener('input', () => { update(); save(); });
  form.addEventListener('change', () => { update(); save(); });
})();
