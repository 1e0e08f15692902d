// Drafts of annotations, kept in this browser's localStorage as they are typed, so that nothing typed is lost when the
// circuit drops or the page reloads. The listener runs in the browser alone: it keeps saving while the server is gone.
// A form opts in with data-draft-key="<user>|<patient>|<target>"; its fields carry data-draft-field="<name>".
// The server restores drafts (list) when it renders the forms and clears one (clear) only after it saved it.
const prefix = "clinicianportal.annotation-draft:";

function save(event) {
    const form = event.target instanceof Element ? event.target.closest("[data-draft-key]") : null;
    if (!form) return;
    const draft = {};
    for (const field of form.querySelectorAll("[data-draft-field]")) {
        if (field.type === "radio" || field.type === "checkbox") {
            if (field.checked) draft[field.dataset.draftField] = field.value;
        } else if (field.value) {
            draft[field.dataset.draftField] = field.value;
        }
    }
    const key = prefix + form.dataset.draftKey;
    try {
        if (Object.keys(draft).length === 0) localStorage.removeItem(key);
        else localStorage.setItem(key, JSON.stringify(draft));
    } catch {
        // Storage full or disabled: the text is still on the page and in the circuit.
    }
}

document.addEventListener("input", save, true);
document.addEventListener("change", save, true);

// Signing out (the header's form) discards the user's drafts, so that a shared workstation keeps no clinical text; if
// there are any, the user is asked first and may stay to save them. App.razor loads this module on every page for that.
document.addEventListener("submit", event => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.testid !== "user-menu") return;
    const keys = Object.keys(list(form.dataset.user + "|"));
    if (keys.length > 0 && !confirm(`You have ${keys.length} unsaved annotation draft${keys.length === 1 ? "" : "s"}. ` +
        "Signing out discards them from this computer. Sign out anyway?")) {
        event.preventDefault();
        return;
    }
    keys.forEach(clear);
}, true);

/** Every draft whose key starts with scope ("<user>|<patient>|"), by key. */
export function list(scope) {
    const drafts = {};
    for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (!key || !key.startsWith(prefix + scope)) continue;
        try {
            drafts[key.substring(prefix.length)] = JSON.parse(localStorage.getItem(key));
        } catch {
            localStorage.removeItem(key);
        }
    }
    return drafts;
}

export function clear(key) {
    localStorage.removeItem(prefix + key);
}
