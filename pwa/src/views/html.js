// Tagged-template JSX alternative: no JSX build step, still compiled to Preact h() calls.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
