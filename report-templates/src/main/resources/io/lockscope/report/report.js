// lockscope report: filters for the thread tables, and every <details> opened for printing.
// Reads names only through textContent and dataset; never writes markup.
(function () {
  'use strict';
  document.querySelectorAll('.filters').forEach(function (filters) {
    var table = document.getElementById(filters.getAttribute('data-table'));
    if (!table) { return; }
    var state = filters.querySelector('.state-filter');
    var name = filters.querySelector('.name-filter');
    var count = filters.querySelector('.shown-count');
    var rows = Array.prototype.slice.call(table.querySelectorAll('tr.thread-row'));
    function apply() {
      var s = state.value;
      var q = name.value.toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var ok = (!s || row.dataset.state === s) && (!q || row.dataset.name.toLowerCase().indexOf(q) >= 0);
        row.hidden = !ok;
        if (ok) { shown++; }
      });
      count.textContent = shown + ' of ' + rows.length + ' threads';
    }
    state.addEventListener('change', apply);
    name.addEventListener('input', apply);
    apply();
  });
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
}());
