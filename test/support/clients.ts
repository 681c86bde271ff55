// Temporary: everything here moved to ./client.ts (one module for clients, raw requests and
// rejections). This re-export keeps unconverted imports compiling; remove it with the last one.
export * from "./client.ts";
