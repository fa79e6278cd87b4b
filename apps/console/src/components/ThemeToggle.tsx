import { useEffect, useState } from 'react';
import { loadPreferences, savePreferences } from '../api/preferences';

export type ThemeChoice = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'mfc-theme';

export function storedTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** The theme is an attribute on <html>; without it, prefers-color-scheme decides (see styles/tokens.css). */
export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
}

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };

export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  // The choice saved with the user's preferences wins over this browser's (it follows the user).
  useEffect(() => {
    let cancelled = false;
    void loadPreferences().then((p) => {
      if (!cancelled && p.theme) setChoice(p.theme);
    });
    return () => {
      cancelled = true;
    };
  }, []);
  useEffect(() => {
    applyTheme(choice);
    try {
      if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }, [choice]);
  return (
    <button
      type="button"
      className="header-button"
      onClick={() => {
        setChoice(NEXT[choice]);
        void savePreferences({ theme: NEXT[choice] });
      }}
      aria-label={`${LABEL[choice]} (switch to ${LABEL[NEXT[choice]].toLowerCase()})`}
      title={`${LABEL[choice]}: click for ${LABEL[NEXT[choice]].toLowerCase()}`}
      data-testid="theme-toggle"
      data-theme-choice={choice}
    >
      <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
        {choice === 'dark' ? (
          <path d="M15.5 12.5A6.5 6.5 0 0 1 7.5 4.5a6.5 6.5 0 1 0 8 8Z" fill="currentColor" />
        ) : choice === 'light' ? (
          <g fill="currentColor">
            <circle cx="10" cy="10" r="3.6" />
            {[0, 45, 90, 135, 180, 225, 270, 315].map((a) => (
              <rect key={a} x="9.2" y="1.5" width="1.6" height="3" rx="0.8" transform={`rotate(${a} 10 10)`} />
            ))}
          </g>
        ) : (
          <g>
            <circle cx="10" cy="10" r="7" fill="none" stroke="currentColor" strokeWidth="1.6" />
            <path d="M10 3a7 7 0 0 1 0 14Z" fill="currentColor" />
          </g>
        )}
      </svg>
      <span className="header-button__text">
        {choice === 'system' ? 'Auto' : choice === 'light' ? 'Light' : 'Dark'}
      </span>
    </button>
  );
}
