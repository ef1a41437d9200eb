import { useEffect, useState } from 'react';

type Health = { status: string; revision?: number };

const titles = { en: 'CRM Studio', 'zh-CN': 'CRM 设计器' } as const;

// Placeholder shell until the UI issue lands: it proves the build and that the server is reachable.
export function App() {
  const [lang, setLang] = useState<keyof typeof titles>(navigator.language.startsWith('zh') ? 'zh-CN' : 'en');
  const [health, setHealth] = useState<Health | null>(null);
  useEffect(() => {
    fetch('/healthz')
      .then((r) => r.json() as Promise<Health>)
      .then(setHealth)
      .catch(() => setHealth({ status: 'unreachable' }));
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 24 }}>
      <h1>{titles[lang]}</h1>
      <p data-testid="health">{health ? health.status : '…'}</p>
      <button type="button" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
        {lang === 'en' ? '中文' : 'English'}
      </button>
    </main>
  );
}
