/** Moved to documents/ (below rules/ and field-types/, which use it); kept so existing imports stay valid. */
export * from '../documents/types';
