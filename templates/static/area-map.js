// Drawing an alert's area on the district map of the compose page. The map is an aid: every action writes into the
// form's own fields (district checkboxes, the polygon and circle text areas), which work without this script.
(function () {
  'use strict';
  var svg = document.querySelector('svg.area-map[data-draw]');
  var tools = document.getElementById('map-tools');
  if (!svg || !tools) return;
  var polygonsField = document.getElementById('area.polygons');
  var circlesField = document.getElementById('area.circles');
  var status = document.getElementById('map-status');
  var buttons = {
    polygon: document.getElementById('draw-polygon'),
    circle: document.getElementById('draw-circle'),
    finish: document.getElementById('draw-finish'),
    cancel: document.getElementById('draw-cancel'),
  };
  var NS = 'http://www.w3.org/2000/svg';
  var KM_PER_DEGREE = 111.32;
  var p = {
    lonMin: +svg.dataset.lonMin, latMax: +svg.dataset.latMax, scale: +svg.dataset.scale,
    cosLat: +svg.dataset.cosLat, pad: +svg.dataset.pad,
  };
  var shapes = svg.querySelector('g.shapes');
  var mode = null;
  var corners = [];
  var centre = null;
  var draft = document.createElementNS(NS, 'polyline');
  draft.setAttribute('class', 'draft');
  draft.setAttribute('fill', 'none');
  draft.setAttribute('stroke-dasharray', '6 4');
  shapes.appendChild(draft);
  tools.hidden = false;

  function say(key, n) {
    status.textContent = (tools.dataset[key] || '').replace('%n', n).replace('%d', n);
  }
  function toXY(lat, lon) {
    return { x: p.pad + (lon - p.lonMin) * p.cosLat * p.scale, y: p.pad + (p.latMax - lat) * p.scale };
  }
  function toLatLon(x, y) {
    return { lat: p.latMax - (y - p.pad) / p.scale, lon: p.lonMin + (x - p.pad) / (p.cosLat * p.scale) };
  }
  function fixed(n, digits) { return (Math.round(n * Math.pow(10, digits)) / Math.pow(10, digits)).toString(); }
  function pointText(c) { return fixed(c.lat, 5) + ',' + fixed(c.lon, 5); }
  function distanceKm(a, b) {
    var r = 6371.0088, rad = Math.PI / 180;
    var dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  function append(field, line) {
    var text = field.value.replace(/\s+$/, '');
    field.value = (text ? text + '\n' : '') + line;
    field.dispatchEvent(new Event('input'));
  }
  function parsePoint(s) {
    var parts = s.split(',');
    if (parts.length !== 2) return null;
    var lat = parseFloat(parts[0]), lon = parseFloat(parts[1]);
    return isFinite(lat) && isFinite(lon) ? { lat: lat, lon: lon } : null;
  }
  // Redraws what the text areas hold, so typing there and drawing here always agree.
  function redraw() {
    Array.prototype.slice.call(shapes.querySelectorAll('.drawn')).forEach(function (el) { el.remove(); });
    polygonsField.value.split('\n').forEach(function (line) {
      var pts = line.trim().split(/\s+/).map(parsePoint);
      if (pts.length < 2 || pts.some(function (x) { return !x; })) return;
      var el = document.createElementNS(NS, 'polygon');
      el.setAttribute('class', 'drawn');
      el.setAttribute('points', pts.map(function (c) { var q = toXY(c.lat, c.lon); return q.x + ',' + q.y; }).join(' '));
      shapes.insertBefore(el, draft);
    });
    circlesField.value.split('\n').forEach(function (line) {
      var parts = line.trim().split(/\s+/);
      var c = parts.length === 2 ? parsePoint(parts[0]) : null;
      var km = parts.length === 2 ? parseFloat(parts[1]) : NaN;
      if (!c || !(km >= 0)) return;
      var q = toXY(c.lat, c.lon);
      var el = document.createElementNS(NS, 'circle');
      el.setAttribute('class', 'drawn');
      el.setAttribute('cx', q.x);
      el.setAttribute('cy', q.y);
      el.setAttribute('r', km / KM_PER_DEGREE * p.scale);
      shapes.insertBefore(el, draft);
    });
  }
  // The server drew the shapes of the page it rendered; from here on the script draws them.
  Array.prototype.slice.call(shapes.children).forEach(function (el) { if (el !== draft) el.remove(); });
  redraw();
  polygonsField.addEventListener('input', redraw);
  circlesField.addEventListener('input', redraw);

  function showDraft() {
    draft.setAttribute('points', corners.map(function (c) { var q = toXY(c.lat, c.lon); return q.x + ',' + q.y; }).join(' '));
  }
  function setMode(next) {
    mode = next;
    corners = [];
    centre = null;
    showDraft();
    buttons.finish.hidden = mode !== 'polygon';
    buttons.cancel.hidden = mode === null;
    buttons.polygon.setAttribute('aria-pressed', String(mode === 'polygon'));
    buttons.circle.setAttribute('aria-pressed', String(mode === 'circle'));
    svg.classList.toggle('drawing', mode !== null);
  }
  function checkbox(number) {
    return document.querySelector('input[name="district"][value="' + number + '"]');
  }
  function syncDistricts() {
    Array.prototype.slice.call(svg.querySelectorAll('[data-district]')).forEach(function (path) {
      var box = checkbox(path.dataset.district);
      var on = !!(box && box.checked);
      path.classList.toggle('selected', on);
      path.setAttribute('fill', on ? 'url(#' + svg.id + '-hatch)' : '#f4f4f4');
    });
  }
  document.querySelectorAll('input[name="district"]').forEach(function (box) { box.addEventListener('change', syncDistricts); });

  svg.addEventListener('click', function (event) {
    var pt = svg.createSVGPoint();
    pt.x = event.clientX;
    pt.y = event.clientY;
    var local = pt.matrixTransform(svg.getScreenCTM().inverse());
    var at = toLatLon(local.x, local.y);
    if (mode === 'polygon') {
      corners.push(at);
      showDraft();
      say('msgPolygon', corners.length);
    } else if (mode === 'circle' && !centre) {
      centre = at;
      corners = [at];
      showDraft();
      say('msgCircleEdge');
    } else if (mode === 'circle') {
      append(circlesField, pointText(centre) + ' ' + fixed(distanceKm(centre, at), 2));
      setMode(null);
      say('msgCircleDone');
    } else {
      var path = event.target.closest ? event.target.closest('[data-district]') : null;
      var box = path && checkbox(path.dataset.district);
      if (!box) return;
      box.checked = !box.checked;
      syncDistricts();
      say(box.checked ? 'msgDistrictOn' : 'msgDistrictOff', path.dataset.district);
    }
  });
  buttons.polygon.addEventListener('click', function () { setMode('polygon'); say('msgPolygon', 0); });
  buttons.circle.addEventListener('click', function () { setMode('circle'); say('msgCircleCentre'); });
  buttons.cancel.addEventListener('click', function () { setMode(null); say('msgCancelled'); });
  buttons.finish.addEventListener('click', function () {
    if (corners.length < 3) { say('msgTooFew'); return; }
    var ring = corners.concat([corners[0]]).map(pointText).join(' ');
    append(polygonsField, ring);
    setMode(null);
    say('msgPolygonDone');
  });
  buttons.polygon.setAttribute('aria-pressed', 'false');
  buttons.circle.setAttribute('aria-pressed', 'false');
})();
