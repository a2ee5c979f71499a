// An alert's page: replaces the progress section with each server-sent event until delivery is done.
(function () {
  const live = document.getElementById('live-progress');
  if (!live || !window.EventSource) return;
  const source = new EventSource(live.dataset.events);
  const update = (e) => { live.innerHTML = e.data; };
  source.addEventListener('progress', update);
  source.addEventListener('done', (e) => { update(e); live.dataset.done = 'true'; source.close(); });
  source.addEventListener('error', () => { if (live.dataset.done) source.close(); });
})();
