// Light or dark: an explicit `?theme=light|dark` (tests, screenshots) wins,
// then the devtools theme when in a panel, else the system's colour scheme,
// followed as it changes. theme.css has one set of colours per theme.

export function applyTheme(devtoolsTheme?: string): void {
  const asked = new URLSearchParams(location.search).get('theme');
  const fixed = asked === 'light' || asked === 'dark' ? asked : devtoolsTheme === 'dark' ? 'dark' : devtoolsTheme === 'default' ? 'light' : null;
  const root = document.documentElement;
  if (fixed) {
    root.dataset.theme = fixed;
    return;
  }
  const system = matchMedia('(prefers-color-scheme: dark)');
  const follow = () => (root.dataset.theme = system.matches ? 'dark' : 'light');
  follow();
  system.addEventListener('change', follow);
}
