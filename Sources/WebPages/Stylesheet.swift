/// The site's one stylesheet; the server serves it at `path`.
///
/// System fonts only, no scripts, no images. Focus is a thick black ring inside a yellow one, visible on any
/// background; colours meet WCAG AA contrast on white.
public enum Stylesheet {
    /// Where pages link to it.
    public static let path = "/static/site.css"

    /// The stylesheet text.
    public static let css = """
        *, *::before, *::after { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body {
          margin: 0;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          font-size: 1.125rem;
          line-height: 1.5;
          color: #0b0c0c;
          background: #ffffff;
        }
        .site-header, main, .site-footer { max-width: 44rem; margin: 0 auto; padding: 1rem; }
        .site-header {
          display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; justify-content: space-between;
          border-bottom: 4px solid #1d4e89;
        }
        .service-name { font-weight: 700; color: #0b0c0c; text-decoration: none; }
        .language-switch ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
        .language-switch [aria-current] { font-weight: 700; text-decoration: none; color: #0b0c0c; }
        .site-footer { border-top: 1px solid #b1b4b6; color: #505a5f; font-size: 1rem; }

        a { color: #1d4e89; text-decoration-thickness: max(1px, 0.0625rem); text-underline-offset: 0.15em; }
        a:visited { color: #4c2c92; }
        a:hover { text-decoration-thickness: 3px; }

        /* Focus: a black ring inside a yellow one reads on light and dark backgrounds alike. */
        :focus { outline: 3px solid #0b0c0c; outline-offset: 0; box-shadow: 0 0 0 6px #ffdd00; }
        :focus:not(:focus-visible) { outline: none; box-shadow: none; }
        :focus-visible { outline: 3px solid #0b0c0c; outline-offset: 0; box-shadow: 0 0 0 6px #ffdd00; }
        main:focus { outline: none; box-shadow: none; }

        .skip-link { position: absolute; left: -9999px; top: 0; padding: 0.5rem 1rem; background: #ffdd00; color: #0b0c0c; }
        .skip-link:focus { left: 1rem; top: 0.5rem; z-index: 1; }
        .visually-hidden {
          position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
          clip: rect(0 0 0 0); white-space: nowrap; border: 0;
        }

        h1 { font-size: 2rem; line-height: 1.2; margin: 1rem 0 1.5rem; }
        h2 { font-size: 1.5rem; line-height: 1.25; margin: 2rem 0 1rem; }
        h3 { font-size: 1.25rem; line-height: 1.3; margin: 1.5rem 0 0.5rem; }
        .lead { font-size: 1.25rem; }
        .hint { color: #505a5f; margin: 0 0 0.25rem; }

        .field { margin: 0 0 1.5rem; }
        .field-error { border-left: 5px solid #b10e1e; padding-left: 0.75rem; }
        label, legend { display: block; font-weight: 700; margin-bottom: 0.25rem; }
        fieldset { margin: 0 0 1.5rem; padding: 0; border: 0; }
        fieldset > legend { font-size: 1.25rem; }
        input[type="text"], input[type="email"], input[type="tel"], input[type="password"], input[type="date"] {
          display: block; width: 100%; max-width: 28rem; padding: 0.4rem; font: inherit;
          color: #0b0c0c; background: #ffffff; border: 2px solid #0b0c0c; border-radius: 0;
        }
        input[aria-invalid="true"] { border-color: #b10e1e; }
        .choice { display: flex; gap: 0.75rem; align-items: flex-start; margin: 0.5rem 0; }
        .choice input { width: 1.75rem; height: 1.75rem; margin: 0; flex: none; accent-color: #0b0c0c; }
        .choice label { font-weight: 400; margin: 0.1rem 0 0; }
        .error-message { color: #b10e1e; font-weight: 700; margin: 0 0 0.25rem; }

        .error-summary { border: 5px solid #b10e1e; padding: 1rem; margin: 0 0 2rem; }
        .error-summary h2 { margin-top: 0; }
        .error-summary a { color: #b10e1e; font-weight: 700; }
        .notice { border-left: 5px solid #1d4e89; padding: 0.5rem 1rem; margin: 0 0 1.5rem; background: #f3f2f1; }

        button {
          font: inherit; font-weight: 700; padding: 0.5rem 1.25rem; margin: 0 1rem 1rem 0; cursor: pointer;
          color: #ffffff; background: #00703c; border: 2px solid transparent; box-shadow: 0 2px 0 #002d18;
        }
        button:hover { background: #005a30; }
        button.secondary { color: #0b0c0c; background: #f3f2f1; box-shadow: 0 2px 0 #929191; }
        button:focus-visible { color: #0b0c0c; background: #ffdd00; }

        dl.summary { display: grid; grid-template-columns: minmax(8rem, 1fr) 2fr; gap: 0.75rem 1.5rem; margin: 0 0 2rem; }
        dl.summary dt { font-weight: 700; }
        dl.summary dd { margin: 0; }
        ul.actions { list-style: none; padding: 0; }
        ul.actions li { margin: 0.5rem 0; }

        .slip-code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 1.75rem; letter-spacing: 0.1em; }
        @media print { .slip { border: 1pt solid #000000; padding: 1cm; page-break-inside: avoid; } .staff-bar, .notice.no-print { display: none; } }

        @media (max-width: 40rem) { dl.summary { grid-template-columns: 1fr; gap: 0.25rem; } dl.summary dd { margin-bottom: 0.75rem; } }

        @media print {
          body { font-size: 11pt; color: #000000; }
          .skip-link, .language-switch, .no-print, button { display: none; }
          a { color: #000000; }
          .site-header, main, .site-footer { max-width: none; padding: 0; }
        }

        """
}
