import './upload.css';

export { UploadSection } from './UploadSection';
export { firstImage, isImageFile, setDragState, uploadInitImage } from './upload';
export { isInUploadZone } from './paste';
