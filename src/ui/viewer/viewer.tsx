import { render } from 'preact';
import { applyTheme } from '../shared/theme';

applyTheme();
render(<p>viewer</p>, document.getElementById('app')!);
