// Light or dark: an explicit `?theme=light|dark` (tests, screenshots) wins,
// then the devtools theme when in a panel, else the system's colour scheme (CSS).

export function applyTheme(devtoolsTheme?: string): void {
  const asked = new URLSearchParams(location.search).get('theme');
  const theme = asked === 'light' || asked === 'dark' ? asked : devtoolsTheme === 'dark' ? 'dark' : devtoolsTheme === 'default' ? 'light' : null;
  if (theme) document.documentElement.dataset.theme = theme;
}
