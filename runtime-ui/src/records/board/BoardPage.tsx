import { UnorderedListOutlined } from '@ant-design/icons';
import type { KanbanView } from '@crm/engine/core';
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  pointerWithin,
  rectIntersection,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Result, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { UiLocale } from '../../i18n/i18n';
import { useMetadata } from '../../metadata/client-metadata';
import { textOf } from '../../metadata/labels';
import { paths } from '../../shell/navigation';
import type { RecordData } from '../record-api';
import { BoardColumn } from './BoardColumn';
import { CardFace } from './BoardCard';
import { columnKeyboardCoordinates } from './board-keyboard';
import { boardModel, firstFilledColumn } from './board-model';
import { refusalText } from '../refusal';
import { moveCard, useBoardTotals } from './board-queries';
import './board.css';

interface DragData {
  readonly card: RecordData;
  readonly column: string;
}

// The pointer's column when there is a pointer; the card's overlap when moved by keyboard.
const collision: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  return hits.length > 0 ? hits : rectIntersection(args);
};

/** A kanban view: a column per option of its select field, cards moved between them. */
export default function BoardPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const { object: objectName = '', view: viewName = '' } = useParams();
  const metadata = useMetadata();
  const object = metadata.object(objectName);
  const view = object?.views.find((v): v is KanbanView => v.name === viewName && v.type === 'kanban');
  const model = useMemo(() => (object && view ? boardModel(object, view, metadata.objects) : null), [object, view, metadata.objects]);
  if (!object || !view || !model) return <Result status="404" title={t('board.notFound')} />;
  return <Board key={`${object.name}/${view.name}`} object={object} model={model} locale={locale} />;
}

function Board({ object, model, locale }: { object: NonNullable<ReturnType<ReturnType<typeof useMetadata>['object']>>; model: NonNullable<ReturnType<typeof boardModel>>; locale: UiLocale }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const totals = useBoardTotals(object.name, model);
  const [dragging, setDragging] = useState<DragData | null>(null);
  // A phone shows one column at a time: open on the first one with cards, once, when the counts come.
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current || !totals.data) return;
    opened.current = true;
    const first = firstFilledColumn(model.columns, totals.data);
    if (first === undefined || first === model.columns[0]?.value || !window.matchMedia('(max-width: 767px)').matches) return;
    document.querySelector(`[data-column="${CSS.escape(first)}"]`)?.scrollIntoView({ inline: 'start', block: 'nearest' });
  }, [totals.data, model.columns]);
  const movable = object.permissions.edit && model.group.mode === 'editable';
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    // A touch drag starts after a short press, so a swipe still scrolls the board.
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates }),
  );
  const columnLabel = useCallback(
    (value: string | number | undefined) => {
      const option = model.columns.find((o) => o.value === value);
      return option ? textOf(option.label, locale, option.value) : '';
    },
    [model.columns, locale],
  );
  const titleOf = useCallback((card: RecordData | undefined) => (card && model.titleField ? String(card[model.titleField.name] ?? '') : t('board.untitled')), [model.titleField, t]);

  const move = useCallback(
    (card: RecordData, from: string, to: string) => {
      if (from === to) return;
      moveCard(client, object.name, model, card, from, to).then(
        () => void message.success(t('board.moved', { title: titleOf(card), column: columnLabel(to) })),
        (error: unknown) =>
          void message.error({ content: t('board.refused', { reason: refusalText(error, t, titleOf(card)) }), duration: 6 }),
      );
    },
    [client, object.name, model, message, t, titleOf, columnLabel],
  );

  const announcements: Announcements = {
    onDragStart: ({ active }) => t('board.a11y.picked', { title: titleOf((active.data.current as DragData | undefined)?.card) }),
    onDragOver: ({ active, over }) =>
      over ? t('board.a11y.over', { title: titleOf((active.data.current as DragData | undefined)?.card), column: columnLabel(over.id) }) : t('board.a11y.outside'),
    onDragEnd: ({ active, over }) =>
      over ? t('board.a11y.dropped', { title: titleOf((active.data.current as DragData | undefined)?.card), column: columnLabel(over.id) }) : t('board.a11y.cancelled'),
    onDragCancel: () => t('board.a11y.cancelled'),
  };

  const onDragStart = (event: DragStartEvent) => setDragging((event.active.data.current as DragData | undefined) ?? null);
  const onDragEnd = (event: DragEndEvent) => {
    setDragging(null);
    const data = event.active.data.current as DragData | undefined;
    if (data && event.over) move(data.card, data.column, String(event.over.id));
  };

  return (
    <div className="board">
      <div className="board__head">
        <Typography.Title level={3} className="board__title">
          {textOf(model.view.label, locale, model.view.name)}
        </Typography.Title>
        <span className="board__object">{textOf(object.plural_label ?? object.label, locale, object.name)}</span>
        <Link to={paths.list(object.name)} className="board__list-link">
          <Button icon={<UnorderedListOutlined />}>{t('board.asList')}</Button>
        </Link>
      </div>
      {!movable && <Typography.Paragraph type="secondary">{t('board.readOnly')}</Typography.Paragraph>}
      {/* Phones see one column at a time: these jump to a column (the board scrolls sideways inside itself). */}
      <nav className="board__jump" aria-label={t('board.jumpTo')}>
        {model.columns.map((option) => (
          <Button
            key={option.value}
            size="small"
            onClick={() => document.querySelector(`[data-column="${CSS.escape(option.value)}"]`)?.scrollIntoView({ behavior: 'smooth', inline: 'start', block: 'nearest' })}
          >
            {columnLabel(option.value)} {totals.data?.get(option.value)?.count ?? 0}
          </Button>
        ))}
      </nav>
      <DndContext
        sensors={sensors}
        collisionDetection={collision}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragging(null)}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t('board.a11y.instructions') } }}
      >
        <div className="board__columns" role="list" aria-label={t('board.columns')}>
          {model.columns.map((option) => (
            <div role="listitem" key={option.value} className="board__column-slot">
              <BoardColumn object={object} model={model} option={option} total={totals.data?.get(option.value)} movable={movable} onMove={move} />
            </div>
          ))}
        </div>
        <DragOverlay>{dragging && <article className="board-card board-card--overlay"><CardFace object={object} model={model} card={dragging.card} /></article>}</DragOverlay>
      </DndContext>
    </div>
  );
}
