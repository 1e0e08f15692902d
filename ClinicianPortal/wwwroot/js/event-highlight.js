// Brings one event's row of the virtualized event grid (Components/Patients/EventList) into view.
// The grid renders only the rows near its scroll position, so scroll to where the row should be first,
// then wait for the server to render it.

const frame = () => new Promise(resolve => setTimeout(resolve, 50));

function rowOf(section, eventId) {
  return section.querySelector(`tr[data-event-id="${CSS.escape(eventId)}"]`);
}

function scrollerOf(section) {
  const grid = section.querySelector('[data-testid="event-grid"]') ?? section;
  return grid.querySelector('.rz-data-grid-data')
    ?? [...grid.querySelectorAll('div')].find(d => ['auto', 'scroll'].includes(getComputedStyle(d).overflowY));
}

/** Scrolls the row of eventId (at index in the list's order) into the middle of the view; true when it was found. */
export async function revealRow(section, eventId, index) {
  let row = rowOf(section, eventId);
  const scroller = scrollerOf(section);
  if (!row && scroller && index >= 0) {
    const sample = scroller.querySelector('tbody tr');
    const rowHeight = sample ? sample.getBoundingClientRect().height || 30 : 30;
    scroller.scrollTop = Math.max(0, index * rowHeight - scroller.clientHeight / 2);
    for (let i = 0; i < 40 && !(row = rowOf(section, eventId)); i++) await frame();
  }
  if (!row) {
    section.scrollIntoView({ block: 'start' });
    return false;
  }
  row.scrollIntoView({ block: 'center' });
  return true;
}
