// The part of unzipper 0.10 the xlsx reader uses (the package ships no types).
declare module 'unzipper' {
  interface File {
    path: string;
    type: 'File' | 'Directory';
    stream(): NodeJS.ReadableStream;
    buffer(): Promise<Buffer>;
  }
  interface CentralDirectory {
    files: File[];
  }
  const unzipper: { Open: { file(path: string): Promise<CentralDirectory> } };
  export default unzipper;
}
