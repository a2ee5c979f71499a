// The /me/push page: registers the service worker, subscribes with the server's VAPID key and stores the
// subscription (POST /me/push/subscriptions with the page's CSRF token in X-CSRF-Token).
(function () {
  const root = document.getElementById('push-setup');
  if (!root) return;
  const status = document.getElementById('push-status');
  const button = document.getElementById('push-enable');
  const say = (key) => { status.textContent = root.dataset[key] || ''; };
  function keyBytes(b64) {
    const pad = '='.repeat((4 - (b64.length % 4)) % 4);
    const raw = atob((b64 + pad).replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) { say('unsupported'); button.disabled = true; return; }
  const ready = navigator.serviceWorker.register('/sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready)
    .then((reg) => { root.dataset.registered = 'true'; say('ready'); return reg; });
  window.hejnalPush = {
    ready: ready,
    store: function (subscription, label) {
      const body = Object.assign({}, subscription, { label: label || navigator.userAgent.slice(0, 60) });
      return fetch('/me/push/subscriptions', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': root.dataset.csrf },
        body: JSON.stringify(body),
      });
    },
  };
  button.addEventListener('click', function () {
    ready.then((reg) => reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(root.dataset.key) }))
      .then((sub) => window.hejnalPush.store(sub.toJSON()))
      .then((res) => { if (res.ok) { window.location.reload(); } else { say(res.status === 422 ? 'refused' : 'failed'); } })
      .catch(() => say('failed'));
  });
})();
