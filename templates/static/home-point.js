// "Use my current location" on /me: asks the browser (which asks the resident) and fills the field; nothing is sent
// until the resident presses "Share". Without JavaScript or geolocation the button stays hidden.
(function () {
  'use strict';
  var box = document.getElementById('home-point-locate');
  var field = document.getElementById('home_point');
  if (!box || !field || !navigator.geolocation) return;
  var button = box.querySelector('button');
  box.hidden = false;
  button.addEventListener('click', function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      field.value = pos.coords.latitude.toFixed(4) + ', ' + pos.coords.longitude.toFixed(4);
      field.focus();
    }, function () {
      field.setAttribute('placeholder', '');
      var note = document.createElement('span');
      note.setAttribute('role', 'status');
      note.textContent = ' ' + button.dataset.failed;
      box.appendChild(note);
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
})();
