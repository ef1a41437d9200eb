import { HolderOutlined, SwapOutlined } from '@ant-design/icons';
import type { ClientObject, SelectOption } from '@crm/engine/core';
import { useDraggable } from '@dnd-kit/core';
import { Button, Dropdown, Tag } from 'antd';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FieldValue } from '../../fields/FieldValue';
import type { UiLocale } from '../../i18n/i18n';
import { textOf } from '../../metadata/labels';
import { paths } from '../../shell/navigation';
import type { RecordData } from '../record-api';
import type { BoardModel } from './board-model';

export interface CardProps {
  readonly object: ClientObject;
  readonly model: BoardModel;
  readonly card: RecordData;
  readonly column: string;
  readonly movable: boolean;
  /** The record awaits approval: locked, a move would be refused. */
  readonly pending?: boolean;
  readonly onMove: (card: RecordData, from: string, to: string) => void;
}

/** The card's face: its title as a link to the record, then the view's card fields. */
export function CardFace({ object, model, card, pending = false }: Pick<CardProps, 'object' | 'model' | 'card' | 'pending'>) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const title = model.titleField ? card[model.titleField.name] : undefined;
  return (
    <>
      <Link className="board-card__title" to={paths.record(object.name, card.id)}>
        {title === null || title === undefined || title === '' ? t('board.untitled') : String(title)}
      </Link>
      {pending && (
        <Tag color="processing" className="board-card__pending">
          {t('board.pendingApproval')}
        </Tag>
      )}
      <dl className="board-card__fields">
        {model.cardFields
          .filter((f) => f.name !== model.titleField?.name)
          .map((field) => (
            <div key={field.name} className="board-card__field">
              <dt>{textOf(field.label, locale, field.name)}</dt>
              <dd>
                <FieldValue object={object} field={field} value={card[field.name]} record={card} />
              </dd>
            </div>
          ))}
      </dl>
    </>
  );
}

/**
 * A card: dragged by its handle (mouse, touch, or keyboard: Space picks it up, arrows move it,
 * Space drops it), or moved with the "move to" menu, which suits phones and screen readers.
 */
export const BoardCard = memo(function BoardCard({ object, model, card, column, movable, pending = false, onMove }: CardProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: card.id, data: { card, column }, disabled: !movable });
  const title = model.titleField ? String(card[model.titleField.name] ?? '') : '';
  const others = model.columns.filter((o: SelectOption) => o.value !== column);
  return (
    <article ref={setNodeRef} className={`board-card${isDragging ? ' board-card--dragging' : ''}`} data-card-id={card.id}>
      <CardFace object={object} model={model} card={card} pending={pending} />
      {movable && (
        <div className="board-card__actions">
          <Button type="text" size="small" icon={<HolderOutlined />} className="board-card__handle" aria-label={t('board.dragHandle', { title })} {...attributes} {...listeners} />
          <Dropdown
            trigger={['click']}
            menu={{ items: others.map((o) => ({ key: o.value, label: textOf(o.label, locale, o.value) })), onClick: ({ key }) => onMove(card, column, key) }}
          >
            <Button type="text" size="small" icon={<SwapOutlined />} className="board-card__move" aria-label={t('board.moveTo', { title })} />
          </Dropdown>
        </div>
      )}
    </article>
  );
});
