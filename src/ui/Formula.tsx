import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';

/**
 * A formula typeset by KaTeX (fonts bundled with the app, so it works offline). KaTeX also writes MathML, so screen readers read the formula; it escapes its
 * input and we only pass our own constant TeX strings, never user text.
 */
export function Formula({ tex, display = false }: { tex: string; display?: boolean }) {
  const html = useMemo(
    () => katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' }),
    [tex, display],
  );
  return <span className="formula" dangerouslySetInnerHTML={{ __html: html }} />;
}
