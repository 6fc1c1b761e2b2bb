// Types of scripts/embed-body.mjs for the TypeScript test that checks it against src/boot/embed.ts.
export declare const BODY_MARK: string;
export declare function encodeBody(body: string): string;
