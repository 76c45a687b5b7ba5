import { render } from 'preact';
import { applyTheme } from '../shared/theme';

applyTheme();
render(<p>popup</p>, document.getElementById('app')!);
