import { KeyboardCode, type KeyboardCoordinateGetter } from '@dnd-kit/core';

/**
 * Keyboard moves on a board: left and right arrows jump a picked-up card to the middle of the
 * neighbouring column (instead of dnd-kit's 25 px steps), up and down move within the column.
 */
export const columnKeyboardCoordinates: KeyboardCoordinateGetter = (event, { currentCoordinates, context }) => {
  const step = event.code === KeyboardCode.Right ? 1 : event.code === KeyboardCode.Left ? -1 : 0;
  if (step === 0) {
    if (event.code === KeyboardCode.Down) return { ...currentCoordinates, y: currentCoordinates.y + 40 };
    if (event.code === KeyboardCode.Up) return { ...currentCoordinates, y: currentCoordinates.y - 40 };
    return undefined;
  }
  event.preventDefault();
  const card = context.collisionRect;
  if (!card) return undefined;
  const columns = [...context.droppableRects.values()].sort((a, b) => a.left - b.left);
  const centre = card.left + card.width / 2;
  const index = columns.findIndex((rect) => centre >= rect.left && centre <= rect.left + rect.width);
  const target = columns[index === -1 ? 0 : index + step];
  if (!target) return undefined;
  return { x: currentCoordinates.x + (target.left + target.width / 2 - centre), y: currentCoordinates.y };
};
