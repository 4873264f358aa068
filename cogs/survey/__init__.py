from bot.app import PdnBot
from bot.features import Feature
from bot.services import survey as survey_service
from cogs.survey._cog import Surveys
from cogs.survey._views import AnswerButton, SurveySelect, SurveySubmit
from cogs.survey.announcement import ANNOUNCEMENT_KIND


async def setup(bot: PdnBot) -> None:
    await bot.features.add(
        Feature(
            name="survey",
            cog=Surveys(bot),
            post_kinds=(ANNOUNCEMENT_KIND,),
            privacy_hooks=(survey_service.PRIVACY_HOOK,),
            dynamic_items=(AnswerButton, SurveySelect, SurveySubmit),
        )
    )
