// Per-browser settings the server cannot know: the light/dark choice and the time zone for local dates.
const key = 'semicmr.theme';

export function load() {
    const stored = localStorage.getItem(key);
    const dark = stored ? stored === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
    return { dark, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
}

export function save(dark) {
    localStorage.setItem(key, dark ? 'dark' : 'light');
}
