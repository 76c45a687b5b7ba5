import { render } from 'preact';
import { applyTheme } from '../shared/theme';

applyTheme();
render(<p>panel</p>, document.getElementById('app')!);
