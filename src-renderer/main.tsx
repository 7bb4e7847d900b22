import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/overview.css';
import './styles/pivot.css';
import './styles/import.css';
import './styles/rows.css';
import './styles/mapping.css';
import './styles/reports.css';
import './styles/views.css';
import './styles/quality.css';
import './styles/compare.css';

const root = document.getElementById('root');
if (!root) throw new Error('Meterbook: #root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
