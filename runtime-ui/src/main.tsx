// First: the boot starts the first screen's requests before the rest of the app evaluates.
import { bootReady } from './app/boot';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { i18n } from './i18n/i18n';
import 'virtual:antd.css';
import './app/app.css';
import { App } from './app/App';

const root = document.getElementById('root');
if (root) {
  // index.html's placeholder, labelled in the user's language until the app replaces it.
  root.querySelector('.app-boot')?.setAttribute('aria-label', i18n.t('app.loading'));
  void bootReady.then(() =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
}
