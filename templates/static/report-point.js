// Picking the place of a report on /report: "Use my location" (the browser asks the resident first) and, when the
// deployment has district boundaries, a point on the district map — by a click or tap, or from the keyboard (focus
// the map, arrows move the point by about 50 m, with Shift by about 500 m). Every action writes into the
// coordinates field, which works without this script and stays the accessible equivalent; typing there moves the
// point on the map.
(function () {
  'use strict';
  var field = document.getElementById('coordinates');
  if (!field) return;

  var locate = document.getElementById('point-locate');
  if (locate && navigator.geolocation) {
    var button = locate.querySelector('button');
    locate.hidden = false;
    button.addEventListener('click', function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        set({ lat: pos.coords.latitude, lon: pos.coords.longitude });
        field.focus();
      }, function () {
        var note = document.createElement('span');
        note.setAttribute('role', 'status');
        note.textContent = ' ' + button.dataset.failed;
        locate.appendChild(note);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  var tools = document.getElementById('point-tools');
  var picker = document.getElementById('point-picker');
  var svg = picker && picker.querySelector('svg[data-draw]');
  var status = document.getElementById('point-status');
  var NS = 'http://www.w3.org/2000/svg';
  var p = svg && {
    lonMin: +svg.dataset.lonMin, latMax: +svg.dataset.latMax, scale: +svg.dataset.scale,
    cosLat: +svg.dataset.cosLat, pad: +svg.dataset.pad,
  };
  var mark = null;
  if (svg) {
    tools.hidden = false;
    mark = document.createElementNS(NS, 'circle');
    mark.setAttribute('r', '7');
    mark.setAttribute('class', 'point-mark');
    mark.setAttribute('fill', '#b10e1e');
    mark.setAttribute('stroke', '#ffffff');
    mark.setAttribute('stroke-width', '2');
    mark.setAttribute('pointer-events', 'none');
    mark.style.display = 'none';
    svg.appendChild(mark);
  }

  function toXY(c) {
    return { x: p.pad + (c.lon - p.lonMin) * p.cosLat * p.scale, y: p.pad + (p.latMax - c.lat) * p.scale };
  }
  function toLatLon(x, y) {
    return { lat: p.latMax - (y - p.pad) / p.scale, lon: p.lonMin + (x - p.pad) / (p.cosLat * p.scale) };
  }
  function fixed(n) { return (Math.round(n * 100000) / 100000).toFixed(5); }
  function parse(s) {
    var parts = s.replace(/;/g, ',').split(/,\s*|\s+/).filter(function (x) { return x !== ''; });
    if (parts.length !== 2) return null;
    var lat = parseFloat(parts[0]), lon = parseFloat(parts[1]);
    return isFinite(lat) && isFinite(lon) ? { lat: lat, lon: lon } : null;
  }
  function centre() {
    var box = svg.viewBox.baseVal;
    return toLatLon(box.width / 2, box.height / 2);
  }
  function show(c) {
    if (!mark) return;
    if (!c) { mark.style.display = 'none'; return; }
    var q = toXY(c);
    mark.setAttribute('cx', q.x.toFixed(1));
    mark.setAttribute('cy', q.y.toFixed(1));
    mark.style.display = '';
  }
  function set(c) {
    var text = fixed(c.lat) + ', ' + fixed(c.lon);
    field.value = text;
    show(c);
    if (status && tools) status.textContent = (tools.dataset.status || '%s').replace('%s', text);
  }

  field.addEventListener('input', function () { show(parse(field.value)); });
  if (!svg) return;
  show(parse(field.value));

  svg.addEventListener('click', function (e) {
    var m = svg.getScreenCTM();
    if (!m) return;
    var pt = svg.createSVGPoint();
    pt.x = e.clientX;
    pt.y = e.clientY;
    var q = pt.matrixTransform(m.inverse());
    set(toLatLon(q.x, q.y));
  });

  // About 50 m a step (500 m with Shift), north–south and east–west alike.
  var STEP_LAT = 0.00045;
  picker.addEventListener('keydown', function (e) {
    var moves = { ArrowUp: [1, 0], ArrowDown: [-1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    var d = moves[e.key];
    if (!d) return;
    e.preventDefault();
    var c = parse(field.value) || centre();
    var k = e.shiftKey ? 10 : 1;
    set({ lat: c.lat + d[0] * STEP_LAT * k, lon: c.lon + d[1] * STEP_LAT * k / p.cosLat });
  });
})();
