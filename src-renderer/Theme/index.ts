import './theme.css';

/** Dark is the only theme for now; the attribute lets CSS and tests see it. */
export const applyTheme = (): void => {
  document.documentElement.dataset.theme = 'dark';
  document.documentElement.style.colorScheme = 'dark';
};
