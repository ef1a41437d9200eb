import { CloseOutlined } from '@ant-design/icons';
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { describedBy, type WidgetProps } from './widget-props';

/**
 * Whether heavy pickers (antd InputNumber, DatePicker, Select) may first show as a light
 * look-alike: a long form (200 fields) then mounts a plain input per field, and the real widget
 * only where a user goes (pointer over it, focus, touch). Off by default: inline edit and the
 * record page show one input and focus it at once.
 */
export const DeferredWidgets = createContext(false);

/**
 * How the user reached the look-alike: the focus (Tab, a click, a label, a script's fill), or a
 * press on a picker (a pointer, or Enter/Space/ArrowDown before the swap), which opens it as
 * antd's opens.
 */
export type Activation = 'focus' | 'press';

const RANK: Readonly<Record<Activation, number>> = { focus: 1, press: 2 };

/** A deferrable widget's state: `real` once the user reached it (it then stays real), and how. */
export function useDeferred(): { readonly real: boolean; readonly activation: Activation | undefined; readonly activate: (how: Activation) => void } {
  const deferred = useContext(DeferredWidgets);
  const [activation, setActivation] = useState<Activation | undefined>(undefined);
  // Several may come before React renders (a touch: pointerenter, pointerdown, focus): the strongest decides.
  const activate = useCallback((how: Activation) => setActivation((current) => (current === undefined || RANK[how] > RANK[current] ? how : current)), []);
  return { real: !deferred || activation !== undefined, activation, activate };
}

/** The real widget's props that follow how it was reached: the focus moves into it, a press opens it. */
export function activated(activation: Activation | undefined): { autoFocus?: true; defaultOpen?: true } {
  if (activation === 'press') return { autoFocus: true, defaultOpen: true };
  return activation === 'focus' ? { autoFocus: true } : {};
}

export interface LookAlikeProps extends Pick<WidgetProps, 'id' | 'invalid' | 'label' | 'readOnly'> {
  /** The value as the real widget shows it ('' for none). */
  readonly text: string;
  readonly placeholder?: string;
  readonly activate: (how: Activation) => void;
  /** The frame's classes: a select's are antd's own (its static stylesheet); the others draw its outlined box (inputs.css). */
  readonly frame: string;
  readonly inputClass: string;
  /** The input's ARIA role (a select's is a combobox, as antd's). */
  readonly role?: 'combobox';
  readonly inputMode?: 'numeric' | 'decimal';
  readonly before?: ReactNode;
  readonly after?: ReactNode;
  /** The value shown as text before an empty input in a box of this class, as antd's select shows its choice. */
  readonly textBox?: string;
  /** A picker with a popup (select, date): a press or Enter/Space/ArrowDown opens the real one. */
  readonly opens?: boolean;
  /** A multiple select's choices, shown as antd's tags are (in `textBox`, before the input) rather than as `text`. */
  readonly tags?: readonly string[];
}

/** antd's tags of a multiple select, in its markup classes (its static stylesheet draws them); the labels as text. */
function SelectTags({ labels, input }: { readonly labels: readonly string[]; readonly input: ReactNode }) {
  return (
    <>
      {labels.map((label, index) => (
        <span key={index} className="ant-select-content-item">
          <span className="ant-select-selection-item" title={label}>
            <span className="ant-select-selection-item-content">{label}</span>
            <span className="ant-select-selection-item-remove" aria-hidden="true">
              <CloseOutlined />
            </span>
          </span>
        </span>
      ))}
      <span className="ant-select-content-item ant-select-content-item-suffix">{input}</span>
    </>
  );
}

/**
 * The light look-alike: a plain input with the real widget's id, label, state and tab position,
 * in antd's markup classes. Reaching it swaps in the real widget, which takes the focus
 * (autoFocus) before the next key: React commits a focus event's update in the same task.
 */
export function LookAlike({ id, invalid, label, readOnly, text, placeholder, activate, frame, inputClass, role, inputMode, before, after, textBox, opens = false, tags }: LookAlikeProps) {
  const valueAsText = textBox !== undefined;
  const input = (
    <input
      id={id}
      className={inputClass}
      value={valueAsText ? '' : text}
      placeholder={valueAsText ? undefined : placeholder}
      disabled={readOnly}
      role={role}
      {...(role === 'combobox' ? { 'aria-expanded': false, 'aria-haspopup': 'listbox' as const } : {})}
      inputMode={inputMode}
      autoComplete="off"
      aria-label={id ? undefined : label}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy({ id, invalid })}
      onFocus={() => activate('focus')}
      // Keys come after the focus that swaps the widget in; a change here is a script's (a test's fill).
      onChange={() => activate('focus')}
      onKeyDown={(event) => {
        if (valueAsText && (event.key === 'Enter' || event.key === ' ' || event.key === 'ArrowDown')) {
          event.preventDefault();
          activate('press');
        }
      }}
    />
  );
  return (
    <span
      className={`${frame} field-input__light`}
      // A press on a picker's look-alike opens the real one, focused (as antd's opens on mousedown;
      // no mousedown follows the prevented pointerdown to close it again); on a number input, the
      // press focuses it and the focus swaps it in.
      onPointerDown={
        readOnly || !opens
          ? undefined
          : (event) => {
              event.preventDefault();
              activate('press');
            }
      }
    >
      {before}
      {valueAsText ? (
        <span className={textBox}>
          {tags && tags.length > 0 ? (
            <SelectTags labels={tags} input={input} />
          ) : (
            <>
              {text ? text : placeholder ? <span className="ant-select-placeholder">{placeholder}</span> : null}
              {input}
            </>
          )}
        </span>
      ) : (
        input
      )}
      {after}
    </span>
  );
}
