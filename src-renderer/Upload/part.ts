export { Body } from './Body';
export { uploadInitImage } from './upload';
