// Signing out discards the user's annotation drafts kept in this browser (annotation-drafts.js), so that a shared
// workstation does not keep clinical text; if there are any, the user is asked first and may stay to save them.
const draftPrefix = "clinicianportal.annotation-draft:";

document.addEventListener("submit", event => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.testid !== "user-menu") return;
    const scope = draftPrefix + form.dataset.user + "|";
    const drafts = Object.keys(localStorage).filter(key => key.startsWith(scope));
    if (drafts.length > 0 && !confirm(`You have ${drafts.length} unsaved annotation draft${drafts.length === 1 ? "" : "s"}. ` +
        "Signing out discards them from this computer. Sign out anyway?")) {
        event.preventDefault();
        return;
    }
    drafts.forEach(key => localStorage.removeItem(key));
}, true);
