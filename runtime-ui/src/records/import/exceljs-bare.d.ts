// The browser build of exceljs has no types of its own: they are the package's.
declare module 'exceljs/dist/exceljs.bare.min.js' {
  export * from 'exceljs';
}
