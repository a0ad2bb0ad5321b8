// The desk feature's screen, for the shell: the check-in desk of one event.
import './desk.css';
import './answer-panel.css';
import './door.css';

export { DeskPage } from './DeskPage.tsx';
