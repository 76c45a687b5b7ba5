import { render } from 'preact';
import { applyTheme } from '../shared/theme';

applyTheme();
render(<p>options</p>, document.getElementById('app')!);
