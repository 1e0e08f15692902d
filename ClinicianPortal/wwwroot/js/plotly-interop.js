// The one bridge between Blazor and plotly.js (see Components/Charts/PlotlyChart.razor).
// plotly.js is large, so it is loaded on the first chart rather than on every page.
let plotlyLoading;

function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  plotlyLoading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL('lib/plotly/plotly.min.js', document.baseURI).href;
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => { plotlyLoading = undefined; reject(new Error('plotly.js could not be loaded')); };
    document.head.appendChild(script);
  });
  return plotlyLoading;
}

/** Draws (or redraws) a figure given as JSON {data, layout, config}; point clicks call back with the point's customdata. */
export async function render(element, figureJson, dotNetRef) {
  const Plotly = await loadPlotly();
  const figure = JSON.parse(figureJson);
  const config = Object.assign({ responsive: true, displaylogo: false, modeBarButtonsToRemove: ['lasso2d', 'select2d'] }, figure.config);
  element._portalRef = dotNetRef;
  await Plotly.react(element, figure.data, figure.layout, config);
  if (!element._portalClickBound) {
    element.on('plotly_click', event => {
      const point = event && event.points && event.points[0];
      if (point && point.customdata != null && element._portalRef) {
        element._portalRef.invokeMethodAsync('OnPointClicked', String(point.customdata));
      }
    });
    element._portalClickBound = true;
  }
  element.dataset.rendered = 'true';
}

export function dispose(element) {
  if (element && window.Plotly) window.Plotly.purge(element);
  if (element) element._portalRef = undefined;
}
