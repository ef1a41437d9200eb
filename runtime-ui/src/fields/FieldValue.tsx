import type { CSSProperties } from 'react';
import { Link } from 'react-router';
import type { ClientField, ClientObject } from '@crm/engine/core';
import { useMetadata } from '../metadata/client-metadata';
import { cachedDescriptor, useFormatContext } from './display/display-context';
import { formatValue, type DisplayValue, type FormatContext } from './display/format-value';
import './display/field-value.css';

export interface FieldValueProps {
  readonly object: ClientObject;
  readonly field: ClientField;
  readonly value: unknown;
  /** The whole record (an expanded reference's title, a currency code...). */
  readonly record?: Readonly<Record<string, unknown>>;
  /** A format context made once for many values (a list makes one for all its cells). */
  readonly context?: FormatContext;
}

/** A formatted value as elements: text, links and tags only, never HTML. */
export function DisplayView({ display }: { display: DisplayValue }) {
  switch (display.kind) {
    case 'empty':
      return <span className="field-value field-value--empty">—</span>;
    case 'text':
      return <span className="field-value">{display.text}</span>;
    case 'link':
      return (
        <a className="field-value" href={display.href} onClick={(e) => e.stopPropagation()} {...(display.external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
          {display.text}
        </a>
      );
    case 'options':
      return (
        <span className="field-value">
          {display.options.map((option) => (
            // A tag drawn by a class rather than antd's Tag: a list mounts dozens per scrolled frame
            // and the component's style hooks cost more than the rest of the cell. The option's colour
            // is a dot beside dark text: white text on a light option colour (amber, grey) is
            // unreadable (axe contrast check in tests/e2e/screens.test.ts).
            <span key={option.value} className={option.color ? 'field-option field-option--dot' : 'field-option'} style={option.color ? ({ '--option-color': option.color } as CSSProperties) : undefined}>
              {option.label}
            </span>
          ))}
        </span>
      );
    case 'reference':
      return display.href ? (
        <Link className="field-value" to={display.href} onClick={(e) => e.stopPropagation()}>
          {display.text}
        </Link>
      ) : (
        <span className="field-value" title={display.id}>
          {display.text}
        </span>
      );
  }
}

/**
 * A field's value for reading (list cells, cards, record pages), formatted per type and locale
 * by `formatValue`, always rendered as text (never as HTML).
 */
export function FieldValue({ field, value, context }: FieldValueProps) {
  const metadata = useMetadata();
  const own = useFormatContext();
  return <DisplayView display={formatValue(cachedDescriptor(field, metadata.objects), value, context ?? own)} />;
}
