export declare const templatesDir: string;
export declare function templateNames(): string[];
export declare function readTemplate(name: string): unknown;
