import './upload.css';

/** The section's header, the paste and drop checks start with the app; the upload and the open section load on first use. */
export { UploadSection } from './UploadSection';
export { firstImage, isImageFile, isInUploadZone, setDragState } from './state';
export { uploadInitImage } from './uploader';
