// Draws the season's trend charts from the JSON the page carries (no inline script: the CSP allows only files from here).
(() => {
  var source = document.getElementById('trend-data');
  if (!source || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  var colours = ['#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#5d4037', '#c2185b'];
  window.kpiCharts = {};
  data.charts.forEach((chart) => {
    var canvas = document.getElementById(`chart-${chart.key}`);
    if (!canvas) return;
    var datasets = chart.series.map((s, i) => {
      var colour = s.company ? '#212121' : colours[i % colours.length];
      return {
        label: s.label,
        data: s.data,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: s.company ? 3 : 2,
        pointRadius: s.company ? 4 : 3,
        spanGaps: true,
        tension: 0.2,
      };
    });
    datasets.push({
      label: `${data.targetLabel} ${chart.target}%`,
      data: data.labels.map(() => chart.target),
      borderColor: '#d32f2f',
      borderDash: [6, 4],
      borderWidth: 1.5,
      pointRadius: 0,
      fill: false,
    });
    window.kpiCharts[chart.key] = new window.Chart(canvas, {
      type: 'line',
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          y: {
            min: 0,
            max: 100,
            ticks: {
              callback: (v) => `${v}%`,
            },
          },
        },
        plugins: {
          title: { display: true, text: chart.title, font: { size: 14 } },
          legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 11 } } },
          tooltip: {
            callbacks: {
              label: (c) => `${c.dataset.label}: ${c.parsed.y === null ? '—' : `${c.parsed.y}%`}`,
            },
          },
        },
      },
    });
  });
})();
