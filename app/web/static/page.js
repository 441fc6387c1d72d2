() => {
  // Copy text: copies the hidden .bq-plain lines beside the clicked .bq-copy link (app/web/share.py).
  const copy = (link) => {
    const box = link.closest('.bq-tools');
    const text = Array.from(box ? box.querySelectorAll('.bq-plain') : []).map((e) => e.textContent).join('\n');
    const done = () => { link.textContent = link.getAttribute('title') || 'Copied'; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, () => {});
    } else {
      const t = document.createElement('textarea'); t.value = text;
      document.body.appendChild(t); t.select();
      try { document.execCommand('copy'); done(); } catch (e) {}
      t.remove();
    }
    window.bqCopied = text;
  };

  // The chart's PNG: the bars shown in #bq-bars drawn on a canvas, in the reader's fonts (app/web/chart.py).
  const chartPng = (link) => {
    const fig = document.getElementById('bq-bars');
    if (!fig) return;
    const bars = Array.from(fig.querySelectorAll('.bq-bar')).map((b) => ({
      k: b.querySelector('.bq-bar-k').textContent, v: b.querySelector('.bq-bar-v').textContent,
      w: parseFloat(b.dataset.w || '0') }));
    const W = 1000, row = 30, top = 60, H = top + row * bars.length + 16, s = 2;
    const c = document.createElement('canvas'); c.width = W * s; c.height = H * s;
    const g = c.getContext('2d'); g.scale(s, s);
    const font = getComputedStyle(fig).fontFamily;
    g.fillStyle = '#ffffff'; g.fillRect(0, 0, W, H); g.textBaseline = 'middle';
    g.fillStyle = '#111827'; g.font = '600 17px ' + font;
    g.fillText(fig.querySelector('figcaption').textContent, 16, 28, W - 32);
    g.font = '14px ' + font;
    bars.forEach((b, i) => {
      const y = top + i * row;
      g.fillStyle = '#111827'; g.textAlign = 'left'; g.fillText(b.k, 16, y + 10, 360);
      g.fillStyle = '#e5e7eb'; g.fillRect(390, y + 2, 430, 16);
      g.fillStyle = '#1d4ed8'; g.fillRect(390, y + 2, 430 * b.w / 100, 16);
      g.fillStyle = '#111827'; g.textAlign = 'right'; g.fillText(b.v, W - 16, y + 10);
    });
    c.toBlob((blob) => {
      const a = document.createElement('a'); a.href = URL.createObjectURL(blob);
      a.download = link.dataset.file || 'chart.png'; document.body.appendChild(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    }, 'image/png');
  };

  // A value typed into a Gradio textbox, then a click on a (hidden) button of the chat (app/web/chat.py).
  const fill = (id, text) => {
    const el = document.querySelector('#' + id + ' textarea, #' + id + ' input');
    if (!el) return false;
    el.value = text;
    el.dispatchEvent(new Event('input', {bubbles: true}));
    return true;
  };
  const press = (id) => setTimeout(() => { const b = document.getElementById(id); if (b) b.click(); }, 120);
  // An example, "ask as a new question" or "answer from all documents": the link is the question's
  // permalink (?q=…), asked in the chat instead (the chat's sanitizer keeps href and class, not data-*).
  const act = (link) => {
    const question = new URL(link.getAttribute('href'), window.location.href).searchParams.get('q') || '';
    const send = link.classList.contains('bq-ask-new') ? 'bq-send-fresh'
      : link.classList.contains('bq-widen') ? 'bq-send-widen' : 'bq-send';
    if (fill('bq-input', question)) press(send);
  };

  // "Report" under any answer: the report panel opens on that answer.
  const report = (link) => {
    const all = Array.from(document.querySelectorAll('#bq-chat .bq-answer'));
    if (!fill('bq-report-which', String(all.indexOf(link.closest('.bq-answer'))))) return;
    press('bq-report-pick');
    setTimeout(() => {
      const panel = document.getElementById('bq-report');
      if (panel) panel.scrollIntoView({block: 'center'});
      const box = document.querySelector('#bq-report-comment textarea');
      if (box) box.focus();
    }, 600);
  };

  const handlers = [['a.bq-copy', copy], ['a.bq-chart-png', chartPng], ['a.bq-act', act],
                    ['a.bq-report-this', report]];
  document.addEventListener('click', (ev) => {
    if (!ev.target.closest || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    for (const [selector, handle] of handlers) {
      const link = ev.target.closest(selector);
      if (link) { ev.preventDefault(); handle(link); return; }
    }
  });
}
