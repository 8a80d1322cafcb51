'use strict';
// The live view: reads /-/status every few seconds and, per method, charts the calls per second,
// the error ratio and p50/p95/p99 between two reads, and keeps the counts in the server's tables
// current. The tables are the server's; this only adds.
(function () {
  const REFRESH_MS = 5000;
  const KEPT = 60;
  const COLORS = { rate: '#2f6fdb', errors: '#c23b3b', p50: '#2f6fdb', p95: '#d98a1c', p99: '#c23b3b' };
  const tbody = document.querySelector('#timings tbody');
  const refresh = document.getElementById('refresh');
  const uptime = document.getElementById('uptime');
  const methods = new Map();

  function keyOf(timing) {
    const names = Object.keys(timing.labels);
    return timing.family + (names.length === 0 ? ''
      : '{' + names.map(name => name + '="' + timing.labels[name] + '"').join(',') + '}');
  }

  // As Prometheus' histogram_quantile: linear within the bucket the rank falls in.
  function quantile(q, bounds, counts) {
    const total = counts[counts.length - 1];
    if (total === 0) {
      return null;
    }
    const rank = q * total;
    let i = counts.findIndex(count => count >= rank);
    if (bounds[i] === '+Inf') {
      return i === 0 ? null : bounds[i - 1];
    }
    const lower = i === 0 ? 0 : bounds[i - 1];
    const below = i === 0 ? 0 : counts[i - 1];
    const inBucket = counts[i] - below;
    return inBucket === 0 ? lower : lower + (bounds[i] - lower) * (rank - below) / inBucket;
  }

  function pointBetween(before, now, seconds) {
    const calls = now.calls - before.calls;
    const counts = now.buckets.map((bucket, i) => bucket.count - before.buckets[i].count);
    const bounds = now.buckets.map(bucket => bucket.le);
    return {
      rate: calls / seconds,
      errors: now.failures === null || calls === 0 ? null : (now.failures - before.failures) / calls,
      p50: quantile(0.5, bounds, counts),
      p95: quantile(0.95, bounds, counts),
      p99: quantile(0.99, bounds, counts)
    };
  }

  function chart(points, series) {
    const width = 110;
    const height = 28;
    let max = 0;
    points.forEach(p => series.forEach(s => { if (p[s] !== null && p[s] > max) max = p[s]; }));
    max = max === 0 ? 1 : max;
    // Right-aligned, one slot a read; a few reads already span the chart, up to KEPT.
    const slots = Math.max(points.length, 12);
    const x = i => (width - 2) * (slots - points.length + i) / (slots - 1) + 1;
    const y = v => height - 2 - (height - 4) * v / max;
    let lines = '';
    series.forEach(s => {
      const xy = [];
      points.forEach((p, i) => { if (p[s] !== null) xy.push(x(i).toFixed(1) + ',' + y(p[s]).toFixed(1)); });
      lines += '<polyline fill="none" stroke-width="1.5" stroke="' + COLORS[s] + '" points="' + xy.join(' ') + '"/>';
    });
    return '<svg class="chart" data-points="' + points.length + '" width="' + width + '" height="' + height
      + '" viewBox="0 0 ' + width + ' ' + height + '">' + lines + '</svg>';
  }

  // As the server writes it.
  function duration(seconds) {
    return seconds < 60 ? seconds + ' s'
      : seconds < 3600 ? Math.floor(seconds / 60) + ' min ' + seconds % 60 + ' s'
      : Math.floor(seconds / 3600) + ' h ' + Math.floor(seconds % 3600 / 60) + ' min';
  }

  function format(value, scale, unit) {
    return value === null || value === undefined ? '—' : (value * scale).toPrecision(3) + unit;
  }

  function rowFor(key) {
    let row = [...tbody.rows].find(r => r.dataset.key === key);
    if (!row) {
      row = tbody.insertRow();
      row.dataset.key = key;
      for (let i = 0; i < 7; i++) {
        row.insertCell().className = i > 0 && i < 4 ? 'n' : '';
      }
      row.cells[0].textContent = key;
    }
    return row;
  }

  function setText(selector, text) {
    const cell = document.querySelector(selector);
    if (cell) {
      cell.textContent = text;
    }
  }

  function show(status) {
    const seen = new Set();
    status.timings.forEach(timing => {
      const key = keyOf(timing);
      seen.add(key);
      const read = { time: status.time, calls: timing.calls, failures: timing.failures, buckets: timing.buckets };
      let method = methods.get(key);
      if (!method) {
        method = { last: null, points: [] };
        methods.set(key, method);
      }
      if (method.last !== null && read.time > method.last.time && read.calls >= method.last.calls) {
        method.points.push(pointBetween(method.last, read, read.time - method.last.time));
        if (method.points.length > KEPT) {
          method.points.shift();
        }
      }
      method.last = read;
      const row = rowFor(key);
      const latest = method.points[method.points.length - 1] || {};
      row.cells[1].textContent = timing.calls;
      row.cells[2].textContent = timing.failures === null ? '—' : timing.failures;
      row.cells[3].textContent = timing.calls === 0 ? '—' : format(timing.sum / timing.calls, 1000, ' ms');
      row.cells[4].innerHTML = chart(method.points, ['rate']) + ' ' + format(latest.rate, 1, '');
      row.cells[5].innerHTML = chart(method.points, ['errors']) + ' ' + format(latest.errors, 100, ' %');
      row.cells[6].innerHTML = chart(method.points, ['p50', 'p95', 'p99']) + ' <span class="legend">'
        + ['p50', 'p95', 'p99'].map(q => '<span class="' + q + '">' + format(latest[q], 1000, '') + '</span>').join(' / ')
        + ' ms</span>';
    });
    [...tbody.rows].filter(row => !seen.has(row.dataset.key)).forEach(row => row.remove());
    // The server's tables' counts, kept current; a rule or family that came or went shows at the next load.
    status.rules.forEach(rule => setText('#rules tr[data-rule="' + CSS.escape(rule.rule) + '"] .calls',
      rule.calls === null ? '—' : rule.calls));
    status.families.forEach(family => {
      const row = '#families tr[data-family="' + CSS.escape(family.name) + '"] ';
      setText(row + '.series', family.series);
      setText(row + '.overflow', family.overflow);
    });
    uptime.textContent = duration(Math.floor(status.uptime_seconds));
    refresh.textContent = 'live, read at ' + new Date(status.time * 1000).toLocaleTimeString();
  }

  function read() {
    // Without the user and password a URL may carry, which fetch refuses; the browser sends the credentials it holds.
    const url = new URL('-/status', location.href);
    url.username = '';
    url.password = '';
    fetch(url, { cache: 'no-store' })
      .then(response => {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.json();
      })
      .then(show)
      .catch(error => { refresh.textContent = 'the last read of /-/status failed: ' + error.message; })
      .finally(() => setTimeout(read, REFRESH_MS));
  }

  read();
})();
