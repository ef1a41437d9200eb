import { useLayoutEffect, useRef, type FocusEvent } from 'react';
import { plainInputClass, textAttributes } from './TextInput';
import { emptyToNull, type WidgetProps } from './widget-props';

const MIN_ROWS = 3;
const MAX_ROWS = 12;

/** The rows a text needs by its line breaks alone (long lines wrap: fitRows measures those once the user is in it). */
function rowsOf(text: string): number {
  return Math.min(MAX_ROWS, Math.max(MIN_ROWS, text.split('\n').length));
}

/** Grows (or shrinks) the textarea to its text, wrapped lines counted, within 3 to 12 rows. */
function fitRows(area: HTMLTextAreaElement): void {
  area.rows = MIN_ROWS;
  const style = getComputedStyle(area);
  const lines = Math.ceil((area.scrollHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / parseFloat(style.lineHeight));
  area.rows = Math.min(MAX_ROWS, Math.max(MIN_ROWS, lines));
}

/**
 * textarea: one plain element in antd's look from the start, never swapped for another, so a
 * click puts the caret where it was clicked and the keyboard finds it where it left it (the first
 * time at the end of the text). It grows with its text like antd's autoSize, but measures only
 * once the user is in it: a long form mounts many without a forced layout apiece.
 */
export function TextAreaInput(props: WidgetProps) {
  const { value, onChange, onBlur, invalid } = props;
  const text = typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
  const area = useRef<HTMLTextAreaElement>(null);
  const measured = useRef(false);
  const pressed = useRef(false);
  // A value set from outside (a reset, a formula, a reload) is measured too once the user has been here.
  useLayoutEffect(() => {
    if (measured.current && area.current) fitRows(area.current);
  }, [text]);
  const onFocus = (event: FocusEvent<HTMLTextAreaElement>) => {
    const target = event.currentTarget;
    // Reached by the keyboard the first time: the caret goes to the end (the browser would put it at the start).
    if (!pressed.current && !measured.current && target.selectionStart === 0 && target.selectionEnd === 0) target.setSelectionRange(target.value.length, target.value.length);
    pressed.current = false;
    measured.current = true;
    fitRows(target);
  };
  return (
    <textarea
      ref={area}
      {...textAttributes(props)}
      className={`${plainInputClass(invalid)} field-input__area`}
      value={text}
      rows={rowsOf(text)}
      onPointerDown={() => (pressed.current = true)}
      onFocus={onFocus}
      onBlur={onBlur}
      onChange={(event) => {
        onChange(emptyToNull(event.target.value));
        fitRows(event.target);
      }}
    />
  );
}
