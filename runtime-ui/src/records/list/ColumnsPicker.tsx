import { HolderOutlined } from '@ant-design/icons';
import { DndContext, KeyboardSensor, PointerSensor, TouchSensor, closestCenter, useSensor, useSensors, type Announcements, type DragEndEvent, type UniqueIdentifier } from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { Checkbox } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ClientObject } from '@crm/engine/core';
import type { UiLocale } from '../../i18n/i18n';
import { fieldLabel } from './list-columns';

export interface ColumnsPickerProps {
  readonly object: ClientObject;
  /** The columns shown, in their order. */
  readonly columns: readonly string[];
  readonly onColumns: (columns: readonly string[]) => void;
}

/**
 * The list's Columns picker: the columns shown, in their order, each with a handle that moves it
 * (pointer, touch, or the keyboard: Space, arrows, Space); then the object's other fields, then
 * the system's (ID, Version...), which few lists show. Checking a field adds it after the shown
 * ones. Loaded when first opened: the list's route does not carry the drag library.
 */
export default function ColumnsPicker({ object, columns, onColumns }: ColumnsPickerProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as UiLocale;
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const byName = new Map(object.fields.map((field) => [field.name, field]));
  const label = (name: UniqueIdentifier) => {
    const field = byName.get(String(name));
    return field ? fieldLabel(field, locale) : String(name);
  };
  const shown = new Set(columns);
  const others = object.fields.filter((f) => !shown.has(f.name) && f.name !== 'deleted_at');
  const hidden = [...others.filter((f) => !f.system), ...others.filter((f) => f.system)].map((f) => f.name);
  const position = (name: UniqueIdentifier) => ({ position: columns.indexOf(String(name)) + 1, count: columns.length });

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onColumns(arrayMove([...columns], columns.indexOf(String(active.id)), columns.indexOf(String(over.id))));
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('list.columnsMove.picked', { field: label(active.id), ...position(active.id) }),
    onDragOver: ({ active, over }) => (over ? t('list.columnsMove.over', { field: label(active.id), ...position(over.id) }) : undefined),
    onDragEnd: ({ active, over }) => (over ? t('list.columnsMove.dropped', { field: label(active.id), ...position(over.id) }) : t('list.columnsMove.cancelled', { field: label(active.id) })),
    onDragCancel: ({ active }) => t('list.columnsMove.cancelled', { field: label(active.id) }),
  };

  return (
    <div className="list-columns" role="group" aria-label={t('list.columns')}>
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ announcements, screenReaderInstructions: { draggable: t('list.columnsMove.instructions') } }}>
        <SortableContext items={[...columns]} strategy={verticalListSortingStrategy}>
          {columns.map((name) => (
            <ShownColumn key={name} name={name} label={label(name)} moveLabel={t('list.columnsMove.handle', { field: label(name) })} onHide={() => onColumns(columns.filter((c) => c !== name))} />
          ))}
        </SortableContext>
      </DndContext>
      {columns.length > 0 && hidden.length > 0 && <div className="list-columns__divider" role="separator" />}
      {hidden.map((name) => (
        <div key={name} className="list-columns__item">
          <span className="list-columns__handle-slot" />
          <Checkbox checked={false} onChange={() => onColumns([...columns, name])}>
            {label(name)}
          </Checkbox>
        </div>
      ))}
    </div>
  );
}

interface ShownColumnProps {
  readonly name: string;
  readonly label: string;
  readonly moveLabel: string;
  readonly onHide: () => void;
}

function ShownColumn({ name, label, moveLabel, onHide }: ShownColumnProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: name });
  return (
    <div ref={setNodeRef} className={`list-columns__item${isDragging ? ' is-dragging' : ''}`} style={{ transform: CSS.Translate.toString(transform), transition }} data-column={name}>
      <button type="button" ref={setActivatorNodeRef} className="list-columns__handle" {...attributes} {...listeners} aria-label={moveLabel}>
        <HolderOutlined />
      </button>
      <Checkbox checked onChange={onHide}>
        {label}
      </Checkbox>
    </div>
  );
}
