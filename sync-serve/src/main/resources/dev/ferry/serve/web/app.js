// Ferry's page: the jobs table, kept live from the event stream. No framework, no build step.
'use strict';
(function () {
  var hash = /[#&]token=([^&]+)/.exec(location.hash);
  if (hash) {
    localStorage.setItem('ferry-token', decodeURIComponent(hash[1]));
    history.replaceState(null, '', location.pathname); // the token leaves the address bar
  }
  var token = localStorage.getItem('ferry-token') || '';
  var jobs = [];
  var tbody = document.querySelector('#jobs tbody');
  var message = document.getElementById('message');
  var form = document.getElementById('token-form');
  form.hidden = !!token;
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    token = document.getElementById('token').value.trim();
    localStorage.setItem('ferry-token', token);
    form.hidden = !!token;
    refresh();
    stream();
  });

  function headers() {
    return token ? { 'Authorization': 'Bearer ' + token } : {};
  }
  function show(text) {
    message.textContent = text;
    message.hidden = !text;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function bytes(n) {
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + ' ' + u[i];
  }
  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : 'never';
  }

  function refresh() {
    return fetch('/api/jobs', { headers: headers() }).then(function (r) {
      if (r.status === 401) { form.hidden = false; throw new Error('the token is missing or wrong'); }
      if (!r.ok) throw new Error('GET /api/jobs: ' + r.status);
      return r.json();
    }).then(function (body) {
      jobs = body.jobs;
      render();
    }).catch(function (e) { show(e.message); });
  }

  function act(job, action) {
    show('');
    return fetch('/api/jobs/' + encodeURIComponent(job) + '/' + action, { method: 'POST', headers: headers() })
      .then(function (r) {
        if (r.status === 401) { form.hidden = false; }
        if (!r.ok) return r.json().then(function (b) { throw new Error(action + ' ' + job + ': ' + (b.error || r.status)); });
        return refresh();
      }).catch(function (e) { show(e.message); });
  }

  function render() {
    tbody.textContent = '';
    jobs.forEach(function (job) {
      job.destinations.forEach(function (d, i) {
        var tr = el('tr');
        tr.dataset.job = job.name;
        tr.dataset.destination = d.name;
        var name = el('td', 'job', i === 0 ? job.name : '');
        name.dataset.label = 'Job';
        if (i === 0) name.appendChild(el('div', 'small', job.mode + (job.every ? ', every ' + job.every + ' s' : '') + (job.watch ? ', watching' : '')));
        tr.appendChild(name);
        var dest = el('td', null, d.name);
        dest.dataset.label = 'Destination';
        dest.appendChild(el('div', 'small', d.location));
        tr.appendChild(dest);
        var st = el('td');
        st.dataset.label = 'State';
        st.appendChild(el('span', 'state ' + d.state, d.state));
        tr.appendChild(st);
        var pr = el('td');
        pr.dataset.label = 'Progress';
        var bar = el('div', 'bar');
        var fill = el('div');
        bar.appendChild(fill);
        pr.appendChild(bar);
        pr.appendChild(el('div', 'small progress-text', ''));
        tr.appendChild(pr);
        var last = el('td');
        last.dataset.label = 'Last run';
        var rep = d.lastReport;
        last.appendChild(el('div', 'small', when(d.lastRun) + (rep ? ' · ' + rep.filesCopied + ' files, ' + bytes(rep.bytesCopied) : '')));
        if (d.lastError) last.appendChild(el('div', 'error', d.lastError));
        if (rep && rep.failures.length) {
          rep.failures.slice(0, 3).forEach(function (f) { last.appendChild(el('div', 'error', f.path + ': ' + f.message)); });
        }
        if (d.nextRun) last.appendChild(el('div', 'small', 'next: ' + when(d.nextRun)));
        tr.appendChild(last);
        var buttons = el('td');
        if (i === 0) {
          var run = el('button', 'primary sync-now', 'Sync now');
          run.disabled = job.paused;
          run.onclick = function () { act(job.name, 'run'); };
          buttons.appendChild(run);
          var pause = el('button', job.paused ? 'resume' : 'pause', job.paused ? 'Resume' : 'Pause');
          pause.onclick = function () { act(job.name, job.paused ? 'resume' : 'pause'); };
          buttons.appendChild(pause);
        }
        tr.appendChild(buttons);
        tbody.appendChild(tr);
        if (d.progress) progress(job.name, d.name, d.progress);
      });
    });
  }

  function progress(job, destination, p) {
    var tr = tbody.querySelector('tr[data-job="' + CSS.escape(job) + '"][data-destination="' + CSS.escape(destination) + '"]');
    if (!tr) return;
    var pct = p.bytesTotal > 0 ? 100 * p.bytesDone / p.bytesTotal : (p.filesTotal > 0 ? 100 * p.filesDone / p.filesTotal : 0);
    tr.querySelector('.bar > div').style.width = Math.min(100, pct).toFixed(1) + '%';
    tr.querySelector('.bar').dataset.percent = pct.toFixed(1);
    tr.querySelector('.progress-text').textContent = p.phase === 'scanning' ? 'scanning…'
      : p.filesDone + '/' + p.filesTotal + ' files, ' + bytes(p.bytesDone) + '/' + bytes(p.bytesTotal);
    var st = tr.querySelector('.state');
    st.className = 'state running';
    st.textContent = 'running';
  }

  var pending = null;
  function soon() { // many events, one refresh
    if (!pending) pending = setTimeout(function () { pending = null; refresh(); }, 150);
  }

  var streaming = null;
  function stream() {
    if (streaming) streaming.abort();
    streaming = new AbortController();
    var live = document.getElementById('live');
    // fetch, not EventSource: EventSource cannot send the Authorization header.
    fetch('/api/events', { headers: headers(), signal: streaming.signal }).then(function (r) {
      if (!r.ok) throw new Error('event stream: ' + r.status);
      live.className = 'live on';
      live.textContent = 'live';
      var reader = r.body.getReader();
      var decoder = new TextDecoder();
      var buf = '';
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) throw new Error('event stream ended');
          buf += decoder.decode(chunk.value, { stream: true });
          var i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            var block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            var data = block.split('\n').filter(function (l) { return l.indexOf('data: ') === 0; })
              .map(function (l) { return l.slice(6); }).join('\n');
            if (data) handle(JSON.parse(data));
          }
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      live.className = 'live off';
      live.textContent = 'offline';
      setTimeout(stream, 3000);
    });
  }

  function handle(e) {
    if (e.type === 'progress') {
      progress(e.job, e.destination, e);
    } else if (e.type === 'failure') {
      show(e.job + ' → ' + e.destination + ': ' + e.path + ': ' + e.message);
      soon();
    } else {
      soon();
    }
  }

  refresh();
  stream();
})();
